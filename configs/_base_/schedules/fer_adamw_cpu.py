# CPU schedule: AdamW, a few epochs, one warm-up epoch then cosine; sized for
# 2 cores. Without warm-up LLformer-tiny stalled at chance in some seeds.
_base_ = './fer_adamw_60e.py'
optim_wrapper = dict(optimizer=dict(lr=2e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True, begin=1,
         convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=6)
