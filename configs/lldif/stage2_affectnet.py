# LLDif stage 2 on LL-affectnet: predicts the prior from the LL image
# (GPU size).
# Run stage 1 first: python tools/train.py configs/lldif/stage1_affectnet.py
_base_ = [
    '../_base_/models/lldif_stage2.py', '../_base_/datasets/ll_affectnet.py',
    '../_base_/schedules/fer_adamw_60e.py', '../_base_/default_runtime.py'
]
model = dict(
    la_clip=dict(class_names={{_base_.class_names}}),
    head=dict(num_classes={{_base_.num_classes}}),
    # a checkpoint file, or a work dir whose last checkpoint is used
    stage1_checkpoint='work_dirs/stage1_affectnet')
