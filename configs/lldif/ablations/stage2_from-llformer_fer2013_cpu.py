# Stage 2 with backbone and head started from a trained prior-free LLformer
# (the benchmark's row 3) instead of from stage 1, whose LLformer reads the
# label from Z and has lost its image path (docs/method.md, item 7). The
# teacher still comes from stage 1; the modulation starts at zero.
# Train the LLformer first:
#   python tools/train.py configs/baselines/llformer_ll-fer2013_cpu.py
_base_ = './stage2_fer2013_cpu.py'
model = dict(backbone_checkpoint='work_dirs/llformer_ll-fer2013_cpu')
