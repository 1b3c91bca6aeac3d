# LL-FERPlus: ferplus darkened by the ll-v1 low-light protocol. Training
# draws new darkness and noise per sample and epoch; val/test use one fixed
# draw per image, so the LL test set is the same on every run.
_base_ = './ferplus.py'
img_size = 48
train_pipeline = [
    dict(type='LoadFERImage'),
    dict(type='LowLight', protocol='ll-v1'),
    dict(type='RandomResizedCrop', scale=img_size,
         crop_ratio_range=(0.8, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadFERImage'),
    dict(type='LowLight', protocol='ll-v1', deterministic=True),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
