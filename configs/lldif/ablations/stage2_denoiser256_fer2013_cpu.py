# Ablation: denoiser width 256 (default 128; docs/method.md, item 10).
_base_ = './stage2_fer2013_cpu.py'
model = dict(diffusion=dict(hidden_dim=256))
