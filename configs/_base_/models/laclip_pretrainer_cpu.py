# Stage 0: LA-CLIP pretraining (CLIP loss between faces and their label
# prompts); `class_names` come from the dataset config. The preprocessing
# is LLDif's, so that LA-CLIP later sees images as it was pretrained on.
_base_ = './laclip_cpu.py'
clip_mean = [122.770938, 116.7460125, 104.09373615]  # CLIP's, 0-255
clip_std = [68.5005327, 66.6321579, 70.32316305]
model = dict(
    type='LACLIPPretrainer',
    data_preprocessor=dict(
        type='LowLightDataPreprocessor',
        mean=clip_mean,
        std=clip_std,
        to_rgb=True),
    la_clip=dict(type='LACLIP', clip_cfg={{_base_.laclip_cpu}}))
