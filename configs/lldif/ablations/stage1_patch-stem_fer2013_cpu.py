# Ablation: stage1_fer2013_cpu.py with LLformer's former stem, one 9x9
# stride-4 convolution, instead of the convolutional early stage.
_base_ = './stage1_fer2013_cpu.py'
model = dict(backbone=dict(stem_type='patch'))
