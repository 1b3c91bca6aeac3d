# The distillation control for as many epochs as LLDif's two stages train
# its backbone (4 + 4): LLformer without prior distilled from the
# pretrained LA-CLIP for 8 epochs, otherwise as
# llformer_kd-laclip-e16_ll-fer2013_cpu.py. The best model of dark faces
# at 4 epochs a stage (docs/results.md, "Equal epochs"); its weights are
# shipped.
_base_ = './llformer_kd-laclip-e16_ll-fer2013_cpu.py'
train_cfg = dict(max_epochs=8)
