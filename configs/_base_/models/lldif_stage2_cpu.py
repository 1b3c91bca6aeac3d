# LLDif stage 2 sized for a 2-core CPU (see lldif_stage1_cpu.py).
# It inherits the CPU stage 1, whose sizes stage 2 must share to load its
# checkpoint, and restates the stage-2 keys of lldif_stage2.py (mmengine
# merges no two bases that both set `model`); tests/test_configs.py checks
# that the two agree. No `sync_bn`: PyTorch's SyncBN needs GPUs.
_base_ = './lldif_stage1_cpu.py'
model = dict(
    type='LLDifStage2',
    # condition net PixelUnshuffle(8), 16 channels (1.4 M multiply-adds per
    # 48x48 image) and denoiser width 128: the accuracy of PixelUnshuffle(4),
    # 32 channels (10 M) and width 256 at a third of their latency
    # (docs/method.md, item 10)
    condition_net=dict(
        type='ConditionNet',
        downscale=8,
        channels=16,
        num_blocks=2),
    diffusion=dict(
        type='DiffusionPriorHead', num_timesteps=4,
        hidden_dim=128),
    loss_prior=[dict(type='PriorKLLoss', tau=0.15, loss_weight=1.0)],
    stage1_checkpoint=None,
)
