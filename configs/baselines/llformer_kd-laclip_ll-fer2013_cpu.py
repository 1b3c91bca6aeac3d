# Control: LLformer without prior on LL-FER2013 distilled from the
# pretrained LA-CLIP's prompt logits; otherwise as llformer_ll-fer2013_cpu.py.
_base_ = ['./llformer_ll-fer2013_cpu.py', '../_base_/models/laclip_cpu.py']
model = dict(
    type='LACLIPDistilledClassifier',
    teacher=dict(
        type='LACLIP',
        class_names={{_base_.class_names}},
        clip_cfg={{_base_.laclip_cpu}},
        pretrained='work_dirs/laclip_fer2013_cpu'),
    kd_weight=1.0,
    tau=4.0)
