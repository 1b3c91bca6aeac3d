# LLformer-small without prior on LL-FER2013 with a stride-1 stem: its first
# stage runs at the full 48x48 (a restoration network's layout). Against
# llformer_ll-fer2013_cpu.py (stride 4) it measures what the stem stride
# buys (docs/method.md item 9).
_base_ = './llformer_ll-fer2013_cpu.py'
model = dict(backbone=dict(stem_stride=1, stem_type='patch'))
