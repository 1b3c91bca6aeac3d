# LLDif stage 2 conditioned on LA-CLIP, training's reverse chain started from
# pure noise as inference's is (DiffIR's x_T keeps 5% of the teacher's Z);
# one change to lldif_stage2_laclip-cond_ll-fer2013_cpu.py.
_base_ = '../lldif_stage2_laclip-cond_ll-fer2013_cpu.py'
model = dict(diffusion=dict(train_from_noise=True))
