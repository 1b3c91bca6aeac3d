# Ablation: privileged information, stage 2 (after
# stage1_privileged_fer2013_cpu.py). The teacher's Z needs the normal-light
# image; the prediction does not (val/test keep it only for the teacher,
# e.g. in tools/analysis_tools/prior_ablation.py).
_base_ = [
    '../../_base_/models/lldif_stage2_cpu.py',
    '../../_base_/datasets/ll_fer2013_privileged.py',
    '../../_base_/schedules/fer_adamw_cpu.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    la_clip=dict(class_names={{_base_.class_names}}, with_normal_image=True),
    head=dict(num_classes={{_base_.num_classes}}),
    stage1_checkpoint='work_dirs/stage1_privileged_fer2013_cpu')
