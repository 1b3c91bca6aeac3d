# Ablation: the prior of the pretrained LA-CLIP from the low-light and the
# normal-light image, without the label, on the shipped recipe (the
# LA-CLIP's prompt logits distilled in both stages). Stage 2:
# stage2_pretrained-laclip_kd_privileged-no-label_fer2013_cpu.py.
_base_ = './stage1_pretrained-laclip_privileged-no-label_fer2013_cpu.py'
model = dict(
    loss_distill=dict(type='DistillationKLLoss', tau=4.0, loss_weight=1.0))
