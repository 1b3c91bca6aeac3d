# Control on LL-FERPlus: LLformer without prior distilled from the LA-CLIP
# of configs/laclip/laclip_ferplus_cpu.py for 16 epochs, LLDif's 8 + 8; as
# llformer_kd-laclip-e16_ll-fer2013_cpu.py. Not trained here yet.
_base_ = [
    '../_base_/models/llformer_cls.py', '../_base_/models/laclip_cpu.py',
    '../_base_/datasets/ll_ferplus.py', '../_base_/schedules/fer_adamw_cpu.py',
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
        pretrained='work_dirs/laclip_ferplus_cpu'),
    kd_weight=1.0,
    tau=4.0)
train_cfg = dict(max_epochs=16)
