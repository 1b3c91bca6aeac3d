# Baseline: mmpretrain ResNet-18 on LL-FERPlus, the data and schedule of
# configs/lldif/lldif_stage{1,2}_ll-ferplus_cpu.py. Not trained here yet.
_base_ = [
    '../_base_/models/resnet18_cls.py', '../_base_/datasets/ll_ferplus.py',
    '../_base_/schedules/fer_adamw_cpu.py', '../_base_/default_runtime.py'
]
model = dict(head=dict(num_classes={{_base_.num_classes}}))
train_cfg = dict(max_epochs=8)
