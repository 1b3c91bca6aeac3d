# CPU schedule: AdamW, a few epochs, cosine; sized for 2 cores.
_base_ = './fer_adamw_60e.py'
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True, begin=0,
         convert_to_iter_based=True),
]
optim_wrapper = dict(optimizer=dict(lr=2e-3))
train_cfg = dict(max_epochs=6)
auto_scale_lr = dict(base_batch_size=64)
