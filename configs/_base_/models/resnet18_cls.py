# mmpretrain's ResNet-18 (ImageNet stem), same preprocessing as LLDif.
# At 48 px its last map is 2x2; the CIFAR stem (type='ResNet_CIFAR') keeps
# more resolution but costs 15x the FLOPs (1.25 vs 0.08 GFLOPs at 48 px),
# too much for the CPU benchmark.
clip_mean = [122.770938, 116.7460125, 104.09373615]
clip_std = [68.5005327, 66.6321579, 70.32316305]
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        type='LowLightDataPreprocessor',
        mean=clip_mean,
        std=clip_std,
        to_rgb=True),
    backbone=dict(type='ResNet', depth=18),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)),
)
