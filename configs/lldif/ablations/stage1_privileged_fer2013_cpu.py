# Ablation: privileged information. LA-CLIP also embeds the normal-light
# image, which the data pipeline keeps beside the low-light one (training
# only: stage 2 predicts Z from the low-light image alone).
# Stage 2: stage2_privileged_fer2013_cpu.py.
_base_ = [
    '../../_base_/models/lldif_stage1_cpu.py',
    '../../_base_/datasets/ll_fer2013_privileged.py',
    '../../_base_/schedules/fer_adamw_cpu.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    la_clip=dict(class_names={{_base_.class_names}}, with_normal_image=True),
    head=dict(num_classes={{_base_.num_classes}}))
