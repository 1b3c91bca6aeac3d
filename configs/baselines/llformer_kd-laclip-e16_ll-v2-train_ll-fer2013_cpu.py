# The 16-epoch distilled LLformer trained on ll-v2 (wider darkness and
# noise, a camera's blur, resolution, brightening, denoising and JPEG);
# tested on ll-v1 as every LL-FER2013 row, and on LL-FER2013-C
# (tools/analysis_tools/corruption_suite.py). One change to
# llformer_kd-laclip-e16_ll-fer2013_cpu.py.
_base_ = './llformer_kd-laclip-e16_ll-fer2013_cpu.py'
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_ll_v2}}))
