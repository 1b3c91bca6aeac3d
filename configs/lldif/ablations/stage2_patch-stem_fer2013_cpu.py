# Stage 2 of stage1_patch-stem_fer2013_cpu.py.
_base_ = './stage2_fer2013_cpu.py'
model = dict(backbone=dict(stem_type='patch'))
