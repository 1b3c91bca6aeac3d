# Ablation: stage 1 always uses the prior (prior_dropout 0; default 0.5).
_base_ = './stage1_fer2013_cpu.py'
model = dict(prior_dropout=0.0)
