# Ablation: a 128-number prior (default 64). Stage 2: stage2_z128_*.py.
_base_ = './stage1_fer2013_cpu.py'
model = dict(prior_net=dict(prior_dim=128))
