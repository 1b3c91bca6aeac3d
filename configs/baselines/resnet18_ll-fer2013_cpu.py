# Baseline: mmpretrain ResNet-18 on LL-FER2013, same data and schedule as
# configs/lldif/ablations/stage2_fer2013_cpu.py.
_base_ = [
    '../_base_/models/resnet18_cls.py', '../_base_/datasets/ll_fer2013.py',
    '../_base_/schedules/fer_adamw_cpu.py', '../_base_/default_runtime.py'
]
model = dict(head=dict(num_classes={{_base_.num_classes}}))
