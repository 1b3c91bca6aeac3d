# LLDif stage 2 conditioned on LA-CLIP, with half of each batch classified
# without the prior, as stage 1 does: the backbone keeps its own reading of
# the face beside the prior's. One change to
# lldif_stage2_laclip-cond_ll-fer2013_cpu.py.
_base_ = '../lldif_stage2_laclip-cond_ll-fer2013_cpu.py'
model = dict(prior_dropout=0.5)
