# Reference: mmpretrain ResNet-18 on normal-light FER2013.
_base_ = [
    '../_base_/models/resnet18_cls.py', '../_base_/datasets/fer2013.py',
    '../_base_/schedules/fer_adamw_cpu.py', '../_base_/default_runtime.py'
]
model = dict(head=dict(num_classes={{_base_.num_classes}}))
