# Ablation: privileged information without the label. Z is made of the
# low-light and normal-light images only, so the stage-1 backbone cannot
# read the label from it. Stage 2: stage2_privileged-no-label_*.py.
_base_ = './stage1_privileged_fer2013_cpu.py'
model = dict(la_clip=dict(with_label=False))
