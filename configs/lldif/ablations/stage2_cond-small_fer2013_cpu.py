# Ablation: a cheaper condition network (PixelUnshuffle(8) and 16 channels;
# default 4 and 32): 1.4 M instead of 10 M multiply-adds per 48x48 image,
# for the latency target once LLformer runs behind a stride-4 stem.
_base_ = '../stage2_fer2013_cpu.py'
model = dict(condition_net=dict(downscale=8, channels=16))
