# LL-FER2013: fer2013 darkened by the ll-v1 low-light protocol. Training
# draws new darkness and noise per sample and epoch; val/test use one fixed
# draw per image, so the LL test set is the same on every run.
_base_ = './fer2013.py'
img_size = 48
train_pipeline = [
    dict(type='LoadFERImage'),
    dict(type='LowLight', protocol='ll-v1'),
    dict(type='RandomResizedCrop', scale=img_size,
         crop_ratio_range=(0.8, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
# the same training with ll-v2 (docs/robustness.md): wider darkness and
# noise and a camera's blur, resolution, brightening, denoising and JPEG;
# val/test stay ll-v1, the benchmark's protocol
train_pipeline_ll_v2 = [
    dict(type='LoadFERImage'),
    dict(type='LowLight', protocol='ll-v2'),
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
