# LLformer without a prior, in a plain mmpretrain ImageClassifier.
_base_ = './low_light_preprocessor.py'
model = dict(
    type='ImageClassifier',
    data_preprocessor={{_base_.low_light_preprocessor}},
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
