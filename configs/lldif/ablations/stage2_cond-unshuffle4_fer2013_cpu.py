# Ablation: the condition network of the CPU configs up to commit 8461fc7
# (PixelUnshuffle(4), 32 channels: 10 M multiply-adds per 48x48 image;
# default PixelUnshuffle(8), 16 channels: 1.4 M).
_base_ = '../stage2_fer2013_cpu.py'
model = dict(condition_net=dict(downscale=4, channels=32))
