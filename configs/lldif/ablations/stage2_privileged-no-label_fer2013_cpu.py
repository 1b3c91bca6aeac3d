# Ablation: privileged information without the label, stage 2 (after
# stage1_privileged-no-label_fer2013_cpu.py).
_base_ = './stage2_privileged_fer2013_cpu.py'
model = dict(
    la_clip=dict(with_label=False),
    stage1_checkpoint='work_dirs/stage1_privileged-no-label_fer2013_cpu')
