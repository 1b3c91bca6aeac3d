# LLDif stage 2 on LL-SynthFER (see stage1_synthfer_cpu.py).
_base_ = './ablations/stage2_fer2013_cpu.py'
data_root = 'data/synthfer'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
model = dict(stage1_checkpoint='work_dirs/stage1_synthfer_cpu')
train_cfg = dict(max_epochs=5)
default_hooks = dict(logger=dict(interval=20))
