# GPU schedule: AdamW, 60 epochs, linear warm-up then cosine.
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=3e-4, weight_decay=0.05),
    paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0),
    # the default constructor, silent about frozen parts (LLDif's teacher)
    constructor='TrainableOptimWrapperConstructor',
)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=2,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=1e-6, by_epoch=True, begin=2),
]
train_cfg = dict(by_epoch=True, max_epochs=60, val_interval=1)
val_cfg = dict()
test_cfg = dict()
# lr is set for this total batch size; --auto-scale-lr rescales it
auto_scale_lr = dict(base_batch_size=64)
