# DiffIR's two-phase stage 2, phase 1: the condition network and the
# diffusion head learn the prior alone (the prior loss; classification and
# distillation weighted 0, backbone and head not updated) for 2 epochs.
# Phase 2 (lldif_stage2_laclip-cond_two-phase_ll-fer2013_cpu.py) then
# trains everything jointly from here for 6, 8 epochs in all.
_base_ = '../lldif_stage2_laclip-cond_ll-fer2013_cpu.py'
model = dict(
    head=dict(loss=dict(loss_weight=0.0)),
    loss_distill=dict(loss_weight=0.0))
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys=dict(
            backbone=dict(lr_mult=0.0, decay_mult=0.0),
            head=dict(lr_mult=0.0, decay_mult=0.0))))
train_cfg = dict(max_epochs=2)
