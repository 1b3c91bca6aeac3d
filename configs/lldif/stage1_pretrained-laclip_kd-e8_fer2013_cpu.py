# Stage 1 of the shipped LLDif: stage1_pretrained-laclip_kd for 8 epochs
# (docs/results.md, "LL-FER2013, 8 epochs a stage").
_base_ = './stage1_pretrained-laclip_kd_fer2013_cpu.py'
train_cfg = dict(max_epochs=8)
