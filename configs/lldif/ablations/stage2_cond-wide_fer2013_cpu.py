# Ablation: a wider and deeper condition network (PixelUnshuffle(4), 64
# channels, 4 residual blocks; default PixelUnshuffle(8), 16 channels, 2
# blocks): does stage 2 gain from seeing the face better?
_base_ = './stage2_fer2013_cpu.py'
model = dict(condition_net=dict(downscale=4, channels=64, num_blocks=4))
