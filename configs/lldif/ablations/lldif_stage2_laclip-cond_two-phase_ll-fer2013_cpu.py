# DiffIR's two-phase stage 2, phase 2: everything jointly, from phase 1's
# model (lldif_stage2_laclip-cond_prior-phase_ll-fer2013_cpu.py), for the
# remaining 6 of stage 2's 8 epochs.
_base_ = '../lldif_stage2_laclip-cond_ll-fer2013_cpu.py'
load_from = ('work_dirs/lldif_stage2_laclip-cond_prior-phase_ll-fer2013_cpu/'
             'epoch_2.pth')
train_cfg = dict(max_epochs=6)
