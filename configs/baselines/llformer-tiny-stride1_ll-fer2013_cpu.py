# LLformer-tiny (16-32-64 channels) with a stride-1 stem without prior on
# LL-FER2013: the CPU default before the stride-4 stem (docs/method.md
# item 9); the earlier LL-FER2013 figures of docs/results.md used it.
_base_ = './llformer_ll-fer2013_cpu.py'
model = dict(
    backbone=dict(arch='tiny', stem_stride=1, stem_type='patch'),
    head=dict(in_channels=64))
