# Ablation: denoiser width 256 (default 128), the width of the CPU configs up
# to commit b4d5d86.
_base_ = '../stage2_fer2013_cpu.py'
model = dict(diffusion=dict(hidden_dim=256))
