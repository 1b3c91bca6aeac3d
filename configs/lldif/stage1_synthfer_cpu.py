# LLDif stage 1 on LL-SynthFER, the no-download default of the README's
# quick start (tools/dataset_converters/make_synthfer.py makes the data).
_base_ = './ablations/stage1_fer2013_cpu.py'
data_root = 'data/synthfer'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
train_cfg = dict(max_epochs=5)
default_hooks = dict(logger=dict(interval=20))
