# Ablation: a wider and deeper condition network (64 channels, 4 residual
# blocks; default 32 and 2): does stage 2 gain from seeing the face better?
_base_ = '../stage2_fer2013_cpu.py'
model = dict(condition_net=dict(channels=64, num_blocks=4))
