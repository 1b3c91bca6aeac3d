# LL-FER2013 with the normal-light image kept beside the low-light one
# (privileged information for a stage-1 prior, LACLIP(with_normal_image)).
# The image is darkened after the geometric augmentation, so that both
# versions are cropped and flipped alike; val/test images are the same LL
# images as in ll_fer2013.py (48x48 faces: Resize is the identity).
_base_ = './ll_fer2013.py'
img_size = 48
pack = dict(type='PackInputs', algorithm_keys=['img_normal'])
train_pipeline = [
    dict(type='LoadFERImage'),
    dict(type='RandomResizedCrop', scale=img_size,
         crop_ratio_range=(0.8, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='LowLight', protocol='ll-v1', keep_original=True),
    pack,
]
test_pipeline = [
    dict(type='LoadFERImage'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='LowLight', protocol='ll-v1', deterministic=True,
         keep_original=True),
    pack,
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
