# mmpretrain's ResNet-18 (ImageNet stem), same preprocessing as LLDif.
# At 48 px its last map is 2x2; the CIFAR stem (type='ResNet_CIFAR') keeps
# more resolution but costs 15x the FLOPs (1.25 vs 0.08 GFLOPs at 48 px),
# too much for the CPU benchmark.
_base_ = './low_light_preprocessor.py'
model = dict(
    type='ImageClassifier',
    data_preprocessor={{_base_.low_light_preprocessor}},
    backbone=dict(type='ResNet', depth=18),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)),
)
