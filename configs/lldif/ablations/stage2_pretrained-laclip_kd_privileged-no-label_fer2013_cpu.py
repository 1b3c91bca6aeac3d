# Ablation: stage 2 after
# stage1_pretrained-laclip_kd_privileged-no-label_fer2013_cpu.py, distilled
# as the shipped stage 2 is.
_base_ = './stage2_pretrained-laclip_privileged-no-label_fer2013_cpu.py'
model = dict(
    loss_distill=dict(type='DistillationKLLoss', tau=4.0, loss_weight=1.0),
    stage1_checkpoint='work_dirs/'
    'stage1_pretrained-laclip_kd_privileged-no-label_fer2013_cpu')
