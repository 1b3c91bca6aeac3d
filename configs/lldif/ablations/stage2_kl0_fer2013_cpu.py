# Ablation: no prior-distillation loss; stage 2 learns from the
# classification loss alone (the diffusion head is still used).
_base_ = './stage2_fer2013_cpu.py'
model = dict(
    loss_prior=[dict(type='PriorKLLoss', tau=0.15, loss_weight=0.0)])
