# FERPlus in normal and low light: each training face is darkened by ll-v1
# with probability 0.5 (LA-CLIP pretraining sees both, as its image tower
# later embeds low-light faces); val/test are the fixed LL-FERPlus draws.
_base_ = './ll_ferplus.py'
img_size = 48
train_pipeline = [
    dict(type='LoadFERImage'),
    dict(type='RandomApply', prob=0.5,
         transforms=[dict(type='LowLight', protocol='ll-v1')]),
    dict(type='RandomResizedCrop', scale=img_size,
         crop_ratio_range=(0.8, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
