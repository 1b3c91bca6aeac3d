# Control: LLformer without prior on LL-FER2013 distilled from the
# pretrained LA-CLIP's prompt logits for the CPU schedule's 6 epochs; as
# llformer_kd-laclip-e16_ll-fer2013_cpu.py, the shipped one of 16.
_base_ = './llformer_kd-laclip-e16_ll-fer2013_cpu.py'
train_cfg = dict(max_epochs=6)
