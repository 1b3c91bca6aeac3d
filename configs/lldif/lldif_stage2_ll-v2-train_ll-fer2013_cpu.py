# LLDif stage 2 trained on ll-v2, on the ll-v2 stage 1; tested on ll-v1.
# One change to lldif_stage2_ll-fer2013_cpu.py (and its stage 1's).
_base_ = './lldif_stage2_ll-fer2013_cpu.py'
train_dataloader = dict(dataset=dict(pipeline={{_base_.train_pipeline_ll_v2}}))
model = dict(
    stage1_checkpoint='work_dirs/lldif_stage1_ll-v2-train_ll-fer2013_cpu')
