# Control on LL-FERPlus: ResNet-18 distilled from the LA-CLIP of
# configs/laclip/laclip_ferplus_cpu.py; otherwise as
# resnet18_ll-ferplus_cpu.py. Not trained here yet.
_base_ = ['./resnet18_ll-ferplus_cpu.py', '../_base_/models/laclip_cpu.py']
model = dict(
    type='LACLIPDistilledClassifier',
    teacher=dict(
        type='LACLIP',
        class_names={{_base_.class_names}},
        clip_cfg={{_base_.laclip_cpu}},
        pretrained='work_dirs/laclip_ferplus_cpu'),
    kd_weight=1.0,
    tau=4.0)
