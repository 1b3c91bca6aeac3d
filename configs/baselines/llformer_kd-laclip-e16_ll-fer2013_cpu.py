# The distillation control at LLDif's backbone epochs of 8 epochs a stage
# (8 + 8): LLformer without prior, distilled from stage 0's LA-CLIP
# (configs/laclip/laclip_fer2013_cpu.py) for 16 epochs. The best model of
# dark faces here (docs/results.md, "LL-FER2013, 8 epochs a stage"); its
# weights are shipped. The 6- and 8-epoch controls
# (llformer_kd-laclip{,-e8}_ll-fer2013_cpu.py) change only the epochs.
_base_ = [
    '../_base_/models/llformer_cls.py', '../_base_/models/laclip_cpu.py',
    '../_base_/datasets/ll_fer2013.py', '../_base_/schedules/fer_adamw_cpu.py',
    '../_base_/default_runtime.py'
]
model = dict(
    type='LACLIPDistilledClassifier',
    backbone=dict(arch='small', stem_stride=4, stem_type='conv'),
    head=dict(num_classes={{_base_.num_classes}}, in_channels=128),
    teacher=dict(
        type='LACLIP',
        class_names={{_base_.class_names}},
        clip_cfg={{_base_.laclip_cpu}},
        pretrained='work_dirs/laclip_fer2013_cpu'),
    kd_weight=1.0,
    tau=4.0)
train_cfg = dict(max_epochs=16)
