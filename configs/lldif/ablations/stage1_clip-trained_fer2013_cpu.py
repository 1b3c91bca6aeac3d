# Ablation: LA-CLIP's towers trained with stage 1 (default: frozen). Stage 2
# (the default config) loads them as its frozen teacher.
_base_ = './stage1_fer2013_cpu.py'
model = dict(la_clip=dict(frozen=False))
