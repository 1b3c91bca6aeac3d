# mmpretrain's ResNet-18 (CIFAR stem: no 7x7 stride-2 conv and max-pool,
# which suits 48-112 px faces), same preprocessing as LLDif.
clip_mean = [122.770938, 116.7460125, 104.09373615]
clip_std = [68.5005327, 66.6321579, 70.32316305]
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        type='LowLightDataPreprocessor',
        mean=clip_mean,
        std=clip_std,
        to_rgb=True),
    backbone=dict(type='ResNet_CIFAR', depth=18),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)),
)
