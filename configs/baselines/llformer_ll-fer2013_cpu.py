# Baseline: LLformer without prior on LL-FER2013, same data, schedule and
# size as configs/lldif/ablations/stage2_fer2013_cpu.py.
_base_ = [
    '../_base_/models/llformer_cls.py', '../_base_/datasets/ll_fer2013.py',
    '../_base_/schedules/fer_adamw_cpu.py', '../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(arch='small', stem_stride=4, stem_type='conv'),
    head=dict(num_classes={{_base_.num_classes}}, in_channels=128))
