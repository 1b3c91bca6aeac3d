# Stage 0: LA-CLIP pretraining (CLIP loss between faces and their label
# prompts); `class_names` come from the dataset config. The preprocessing
# is LLDif's, so that LA-CLIP later sees images as it was pretrained on.
_base_ = ['./laclip_cpu.py', './low_light_preprocessor.py']
model = dict(
    type='LACLIPPretrainer',
    data_preprocessor={{_base_.low_light_preprocessor}},
    la_clip=dict(type='LACLIP', clip_cfg={{_base_.laclip_cpu}}))
