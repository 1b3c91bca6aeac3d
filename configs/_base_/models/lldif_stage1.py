# LLDif stage 1: LA-CLIP + PriorNet give Z, which modulates LLformer.
# `class_names`, `num_classes` and `llformer_arch` come from the dataset and
# the concrete config; the prior's length is PriorNet's `prior_dim` alone
# (backbone, condition net and diffusion head take it from there).
_base_ = './low_light_preprocessor.py'
llformer_arch = 'base'

# A randomly initialised small CLIP: runs anywhere without a download. For
# paper-like runs, set model_name='ViT-B-32' and pretrained='<local file>'.
random_clip = dict(
    embed_dim=256,
    vision_cfg=dict(layers=4, width=256, patch_size=16, image_size=112,
                    head_width=64),
    text_cfg=dict(context_length=32, vocab_size=49408, width=256, heads=4,
                  layers=4))

model = dict(
    type='LLDifStage1',
    data_preprocessor={{_base_.low_light_preprocessor}},
    la_clip=dict(type='LACLIP', clip_cfg=random_clip, frozen=True),
    prior_net=dict(type='PriorNet', prior_dim=256),
    backbone=dict(type='LLformer', arch=llformer_arch),
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
