# Ablation: an L1 loss between Z_hat and Z instead of the KL of their
# softmaxes (DiffIR's choice for its prior).
_base_ = './stage2_fer2013_cpu.py'
model = dict(
    loss_prior=[dict(type='PriorL1Loss', loss_weight=1.0)])
