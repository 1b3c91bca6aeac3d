# LLDif stage 2 on LL-FER2013 (earlier recipe: a randomly initialised CLIP,
# no distillation), sized for a 2-core CPU: stage1_fer2013_cpu.py plus the
# diffusion prior. Run that first.
_base_ = './stage1_fer2013_cpu.py'
model = dict(
    type='LLDifStage2',
    # condition net PixelUnshuffle(8), 16 channels (1.4 M multiply-adds per
    # 48x48 image) and denoiser width 128: the accuracy of PixelUnshuffle(4),
    # 32 channels (10 M) and width 256 at a third of their latency
    # (docs/method.md, item 10)
    condition_net=dict(
        type='ConditionNet', downscale=8, channels=16, num_blocks=2),
    diffusion=dict(
        type='DiffusionPriorHead', num_timesteps=4, hidden_dim=128),
    loss_prior=[dict(type='PriorKLLoss', tau=0.15, loss_weight=1.0)],
    stage1_checkpoint='work_dirs/stage1_fer2013_cpu')
