# Ablation: a one-step diffusion head (trained and tested with T = 1).
_base_ = './stage2_fer2013_cpu.py'
model = dict(diffusion=dict(num_timesteps=1))
