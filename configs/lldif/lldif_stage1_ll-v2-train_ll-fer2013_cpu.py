# LLDif stage 1 trained on ll-v2 (wider darkness and noise, a camera's
# blur, resolution, brightening, denoising and JPEG), tested on ll-v1. One
# change to lldif_stage1_ll-fer2013_cpu.py.
_base_ = './lldif_stage1_ll-fer2013_cpu.py'
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_ll_v2}}))
