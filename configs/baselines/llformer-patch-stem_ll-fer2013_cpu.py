# Ablation: llformer_ll-fer2013_cpu.py with one 9x9 stride-4 convolution as
# stem instead of the convolutional early stage (the CPU default before it;
# docs/method.md, item 11).
_base_ = './llformer_ll-fer2013_cpu.py'
model = dict(backbone=dict(stem_type='patch'))
