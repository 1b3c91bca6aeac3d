# LLDif stage 2 on the pretrained LA-CLIP that also distils the LA-CLIP's
# zero-shot prompt logits into the classifier (as the distillation controls
# do): LLDif = distillation + the diffusion prior, so that its row against
# configs/baselines/llformer_kd-laclip_ll-fer2013_cpu.py isolates the prior.
_base_ = './stage2_pretrained-laclip_fer2013_cpu.py'
model = dict(
    loss_distill=dict(type='DistillationKLLoss', tau=4.0, loss_weight=1.0))
