# LLDif stage 1 sized for a 2-core CPU: LLformer-small behind a stride-4
# convolutional early stage (its stages run at 1/4, 1/8 and 1/16 of the
# input, docs/method.md items 9 and 11), a 64-number prior, a small randomly
# initialised CLIP at 48x48 (the shipped recipe replaces it by stage 0's
# LA-CLIP, configs/_base_/models/laclip_cpu.py). The GPU-sized model is
# ./lldif_stage1.py.
_base_ = './low_light_preprocessor.py'
small_clip = dict(
    embed_dim=64,
    vision_cfg=dict(layers=2, width=64, patch_size=8, image_size=48,
                    head_width=32),
    text_cfg=dict(context_length=16, vocab_size=49408, width=64, heads=2,
                  layers=2))
model = dict(
    type='LLDifStage1',
    data_preprocessor={{_base_.low_light_preprocessor}},
    la_clip=dict(type='LACLIP', clip_cfg=small_clip, frozen=True),
    prior_net=dict(type='PriorNet', prior_dim=64, hidden_dim=128),
    backbone=dict(
        type='LLformer', arch='small', stem_stride=4, stem_type='conv'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        in_channels=128,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        # PyTorch's default Linear init (docs/method.md, "Classifier head
        # initialisation")
        init_cfg=None),
)
