# LLDif stage 1 on LL-FER2013 for a 2-core CPU, the shipped recipe
# (lldif_stage2_ll-fer2013_cpu in the model zoo is its stage 2).
#
# Z = PriorNet(LA-CLIP(low-light image, label prompt)) modulates LLformer;
# LA-CLIP is the one pretrained by stage 0 (configs/laclip/), frozen, and
# also distils its zero-shot prompt logits into the classifier. 8 epochs.
#   python tools/train.py configs/laclip/laclip_fer2013_cpu.py \
#       --data-root DATA
#   python tools/train.py configs/lldif/lldif_stage1_ll-fer2013_cpu.py \
#       --data-root DATA
_base_ = [
    '../_base_/models/lldif_stage1_cpu.py', '../_base_/models/laclip_cpu.py',
    '../_base_/datasets/ll_fer2013.py', '../_base_/schedules/fer_adamw_cpu.py',
    '../_base_/default_runtime.py'
]
model = dict(
    la_clip=dict(
        class_names={{_base_.class_names}},
        clip_cfg={{_base_.laclip_cpu_replace}},
        # stage 0's checkpoint, or its work dir (its best_*.pth)
        pretrained='work_dirs/laclip_fer2013_cpu'),
    head=dict(num_classes={{_base_.num_classes}}),
    loss_distill=dict(type='DistillationKLLoss', tau=4.0, loss_weight=1.0))
train_cfg = dict(max_epochs=8)
