# LLDif stage 1 on the pretrained LA-CLIP that also distils the LA-CLIP's
# zero-shot prompt logits into the classifier, as stage 2 of
# stage2_pretrained-laclip_kd does: distillation in both stages.
_base_ = './stage1_pretrained-laclip_fer2013_cpu.py'
model = dict(
    loss_distill=dict(type='DistillationKLLoss', tau=4.0, loss_weight=1.0))
