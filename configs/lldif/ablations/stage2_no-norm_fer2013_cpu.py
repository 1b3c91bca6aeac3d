# Ablation: the condition net without normalisation (DiffIR's CPEN-S2).
_base_ = './stage2_fer2013_cpu.py'
model = dict(condition_net=dict(norm_cfg=None))
