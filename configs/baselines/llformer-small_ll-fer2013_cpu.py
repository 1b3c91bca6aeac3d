# LLformer-small (0.84 M parameters, 2 blocks per level) without prior on
# LL-FER2013: how much of the gap to ResNet-18 is LLformer-tiny's size.
_base_ = './llformer_ll-fer2013_cpu.py'
model = dict(backbone=dict(arch='small'), head=dict(in_channels=128))
