# LLDif stage 2: ConditionNet + DiffusionPriorHead predict Z from the LL
# image; the frozen stage-1 teacher gives the target.
_base_ = './lldif_stage1.py'

model = dict(
    type='LLDifStage2',
    # batch-normalised (ConditionNet's default; docs/method.md)
    condition_net=dict(type='ConditionNet'),
    diffusion=dict(type='DiffusionPriorHead', num_timesteps=4),
    loss_prior=[dict(type='PriorKLLoss', tau=0.15, loss_weight=1.0)],
    stage1_checkpoint=None,
)
# multi-GPU runs share the condition net's BN statistics across GPUs
# (mmengine applies it only when distributed; PyTorch's SyncBN needs GPUs:
# for a multi-process CPU run add `--cfg-options sync_bn=None`)
sync_bn = 'torch'
