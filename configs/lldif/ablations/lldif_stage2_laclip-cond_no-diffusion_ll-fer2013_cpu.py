# The control of the diffusion: LLDif stage 2 conditioned on LA-CLIP with
# an MLP from c to Z_hat in place of the diffusion head (same losses, same
# features); one change to lldif_stage2_laclip-cond_ll-fer2013_cpu.py.
_base_ = '../lldif_stage2_laclip-cond_ll-fer2013_cpu.py'
model = dict(
    diffusion=dict(_delete_=True, type='DirectPriorHead', hidden_dim=128))
