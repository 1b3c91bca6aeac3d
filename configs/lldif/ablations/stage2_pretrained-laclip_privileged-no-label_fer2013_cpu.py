# Ablation: stage 2 after
# stage1_pretrained-laclip_privileged-no-label_fer2013_cpu.py.
_base_ = [
    './stage2_privileged-no-label_fer2013_cpu.py',
    '../../_base_/models/laclip_cpu.py'
]
model = dict(
    la_clip=dict(clip_cfg={{_base_.laclip_cpu_replace}}),
    stage1_checkpoint='work_dirs/'
    'stage1_pretrained-laclip_privileged-no-label_fer2013_cpu')
