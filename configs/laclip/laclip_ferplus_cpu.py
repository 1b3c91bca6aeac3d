# Stage 0 on FERPlus: LA-CLIP pretrained on normal- and low-light faces and
# FERPlus's 8 class prompts (contempt included); as laclip_fer2013_cpu.py.
#   python tools/train.py configs/laclip/laclip_ferplus_cpu.py \
#       --data-root ../shared/datasets/ferplus
_base_ = [
    '../_base_/models/laclip_pretrainer_cpu.py',
    '../_base_/datasets/ferplus_mixed-light.py',
    '../_base_/schedules/fer_adamw_cpu.py', '../_base_/default_runtime.py'
]
model = dict(la_clip=dict(class_names={{_base_.class_names}}))
optim_wrapper = dict(optimizer=dict(lr=1e-3, weight_decay=0.1))
train_cfg = dict(max_epochs=12)
