# LLDif stage 2: ConditionNet + DiffusionPriorHead predict Z from the LL
# image; the frozen stage-1 teacher gives the target.
_base_ = './lldif_stage1.py'

model = dict(
    type='LLDifStage2',
    condition_net=dict(type='ConditionNet', cond_dim=256),
    diffusion=dict(type='DiffusionPriorHead', prior_dim=256,
                   num_timesteps=4),
    loss_prior=[dict(type='PriorKLLoss', tau=0.15, loss_weight=1.0)],
    stage1_checkpoint=None,
)
