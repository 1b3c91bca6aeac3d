# LLDif stage 2 on LL-FERPlus for a 2-core CPU: its stage 1 plus the
# diffusion prior of lldif_stage2_ll-fer2013_cpu.py. Not trained here yet.
_base_ = './lldif_stage1_ll-ferplus_cpu.py'
model = dict(
    type='LLDifStage2',
    condition_net=dict(
        type='ConditionNet', downscale=8, channels=16, num_blocks=2),
    diffusion=dict(
        type='DiffusionPriorHead', num_timesteps=4, hidden_dim=128),
    loss_prior=[dict(type='PriorKLLoss', tau=0.15, loss_weight=1.0)],
    stage1_checkpoint='work_dirs/lldif_stage1_ll-ferplus_cpu')
