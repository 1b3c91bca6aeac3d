# The distillation control at LLDif's backbone epochs of 8 epochs a stage
# (8 + 8): LLformer without prior distilled from the pretrained LA-CLIP for
# 16 epochs, otherwise as llformer_kd-laclip_ll-fer2013_cpu.py. The best
# model of dark faces here (docs/results.md, "LL-FER2013, 8 epochs a
# stage"); its weights are shipped.
_base_ = './llformer_kd-laclip_ll-fer2013_cpu.py'
train_cfg = dict(max_epochs=16)
