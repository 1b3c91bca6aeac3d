# Ablation: privileged information, stage 2 (after
# stage1_privileged_fer2013_cpu.py, plus the diffusion prior of
# ../stage2_fer2013_cpu.py). The teacher's Z needs the normal-light image;
# the prediction does not (val/test keep it only for the teacher, e.g. in
# tools/analysis_tools/prior_ablation.py).
_base_ = './stage1_privileged_fer2013_cpu.py'
model = dict(
    type='LLDifStage2',
    condition_net=dict(
        type='ConditionNet', downscale=8, channels=16, num_blocks=2),
    diffusion=dict(
        type='DiffusionPriorHead', num_timesteps=4, hidden_dim=128),
    loss_prior=[dict(type='PriorKLLoss', tau=0.15, loss_weight=1.0)],
    stage1_checkpoint='work_dirs/stage1_privileged_fer2013_cpu')
