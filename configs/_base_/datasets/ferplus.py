# FERPlus (fer2013new.csv majority labels), 48x48 faces; normal light.
dataset_type = 'FERPlus'
data_root = 'data/ferplus'
class_names = ('neutral', 'happiness', 'surprise', 'sadness', 'anger',
               'disgust', 'fear', 'contempt')
num_classes = 8
img_size = 48

train_pipeline = [
    dict(type='LoadFERImage'),
    dict(type='RandomResizedCrop', scale=img_size,
         crop_ratio_range=(0.8, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadFERImage'),
    dict(type='Resize', scale=(img_size, img_size)),
    dict(type='PackInputs'),
]

# loaders sized for the 2-core CPU every figure of docs/results.md comes
# from; on a bigger machine raise num_workers (--cfg-options
# train_dataloader.num_workers=8)
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    # workers started anew and seeded from the epoch each epoch: new
    # augmentations every epoch, the same ones after a resume
    persistent_workers=False,
    worker_init_fn=dict(type='mmlldif.seed_worker_per_epoch'),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, split='train',
                 pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=128,
    num_workers=2,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, split='val',
                 pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
test_dataloader = dict(
    batch_size=128,
    num_workers=2,
    persistent_workers=True,
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, split='test',
                 pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
# top-1 accuracy and mean per-class accuracy (macro recall)
val_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='SingleLabelMetric', items=('recall', ), average='macro'),
]
test_evaluator = val_evaluator
