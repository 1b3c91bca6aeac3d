# Reference: mmpretrain ResNet-18 on normal-light FERPlus. Not trained here
# yet.
_base_ = [
    '../_base_/models/resnet18_cls.py', '../_base_/datasets/ferplus.py',
    '../_base_/schedules/fer_adamw_cpu.py', '../_base_/default_runtime.py'
]
model = dict(head=dict(num_classes={{_base_.num_classes}}))
train_cfg = dict(max_epochs=8)
