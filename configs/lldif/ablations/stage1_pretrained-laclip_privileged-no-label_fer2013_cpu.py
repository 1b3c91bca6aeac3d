# Ablation: the prior of the pretrained LA-CLIP from the low-light and the
# normal-light image, without the label (stage1_privileged-no-label with
# the LA-CLIP of configs/laclip/). Stage 2:
# stage2_pretrained-laclip_privileged-no-label_fer2013_cpu.py.
_base_ = [
    './stage1_privileged-no-label_fer2013_cpu.py',
    '../../_base_/models/laclip_cpu.py'
]
model = dict(
    la_clip=dict(
        clip_cfg={{_base_.laclip_cpu_replace}},
        pretrained='work_dirs/laclip_fer2013_cpu'))
