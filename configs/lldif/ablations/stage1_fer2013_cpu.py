# LLDif stage 1 on LL-FER2013, sized for a 2-core CPU.
_base_ = [
    '../../_base_/models/lldif_stage1_cpu.py',
    '../../_base_/datasets/ll_fer2013.py',
    '../../_base_/schedules/fer_adamw_cpu.py',
    '../../_base_/default_runtime.py'
]
model = dict(
    la_clip=dict(class_names={{_base_.class_names}}),
    head=dict(num_classes={{_base_.num_classes}}))
