# Ablation: a 128-number prior (default 64), after stage1_z128_*.py.
_base_ = './stage2_fer2013_cpu.py'
model = dict(
    prior_net=dict(prior_dim=128),
    stage1_checkpoint='work_dirs/stage1_z128_fer2013_cpu')
