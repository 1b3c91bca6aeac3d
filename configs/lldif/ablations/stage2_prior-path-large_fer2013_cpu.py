# Ablation: a larger prior path, the one to compare again once Z is
# informative: condition net PixelUnshuffle(4), 32 channels (10 M
# multiply-adds per 48x48 image) and denoiser width 256 (default
# PixelUnshuffle(8), 16 channels, 1.4 M, and width 128; docs/method.md,
# item 10).
_base_ = './stage2_fer2013_cpu.py'
model = dict(
    condition_net=dict(downscale=4, channels=32),
    diffusion=dict(hidden_dim=256))
