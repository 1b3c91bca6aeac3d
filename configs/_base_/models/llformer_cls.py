# LLformer without a prior, in a plain mmpretrain ImageClassifier.
clip_mean = [122.770938, 116.7460125, 104.09373615]
clip_std = [68.5005327, 66.6321579, 70.32316305]
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        type='LowLightDataPreprocessor',
        mean=clip_mean,
        std=clip_std,
        to_rgb=True),
    backbone=dict(type='mmlldif.LLformer', arch='base', prior_dim=None),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        in_channels=384,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        # PyTorch's default Linear init, not mmpretrain's Normal(std=0.01):
        # with it LLformer stayed on the majority class on LL-FER2013
        # (docs/method.md, "Classifier head initialisation")
        init_cfg=None),
)
