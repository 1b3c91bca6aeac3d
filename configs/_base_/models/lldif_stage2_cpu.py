# LLDif stage 2 sized for a 2-core CPU (see lldif_stage1_cpu.py).
_base_ = './lldif_stage1_cpu.py'
prior_dim = 64
model = dict(
    type='LLDifStage2',
    # PixelUnshuffle(8), 16 channels: 1.4 M multiply-adds per 48x48 image,
    # same accuracy as PixelUnshuffle(4) with 32 channels (10 M) over 3
    # seeds, a third of its latency (docs/method.md, item 10)
    condition_net=dict(
        type='ConditionNet',
        cond_dim=prior_dim,
        downscale=8,
        channels=16,
        num_blocks=2),
    diffusion=dict(
        type='DiffusionPriorHead', prior_dim=prior_dim, num_timesteps=4,
        hidden_dim=256),
    loss_prior=[dict(type='PriorKLLoss', tau=0.15, loss_weight=1.0)],
    stage1_checkpoint=None,
)
