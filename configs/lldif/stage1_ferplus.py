# LLDif stage 1 on LL-ferplus: learns the label-aware prior (GPU size).
_base_ = [
    '../_base_/models/lldif_stage1.py', '../_base_/datasets/ll_ferplus.py',
    '../_base_/schedules/fer_adamw_60e.py', '../_base_/default_runtime.py'
]
model = dict(
    la_clip=dict(class_names={{_base_.class_names}}),
    head=dict(num_classes={{_base_.num_classes}}))
