# LLDif stage 1 on LL-FERPlus (8 classes, majority labels) for a 2-core
# CPU: the recipe of lldif_stage1_ll-fer2013_cpu.py with the LA-CLIP of
# configs/laclip/laclip_ferplus_cpu.py. Not trained here yet.
_base_ = [
    '../_base_/models/lldif_stage1_cpu.py', '../_base_/models/laclip_cpu.py',
    '../_base_/datasets/ll_ferplus.py', '../_base_/schedules/fer_adamw_cpu.py',
    '../_base_/default_runtime.py'
]
model = dict(
    la_clip=dict(
        class_names={{_base_.class_names}},
        clip_cfg={{_base_.laclip_cpu_replace}},
        pretrained='work_dirs/laclip_ferplus_cpu'),
    head=dict(num_classes={{_base_.num_classes}}),
    loss_distill=dict(type='DistillationKLLoss', tau=4.0, loss_weight=1.0))
train_cfg = dict(max_epochs=8)
