# LLDif stage 1 on LL-FER2013 with the LA-CLIP pretrained by stage 0, frozen.
# Run first: python tools/train.py configs/laclip/laclip_fer2013_cpu.py
_base_ = ['./stage1_fer2013_cpu.py', '../../_base_/models/laclip_cpu.py']
model = dict(
    la_clip=dict(
        clip_cfg={{_base_.laclip_cpu_replace}},
        # a checkpoint, or a work dir: its best_*.pth
        pretrained='work_dirs/laclip_fer2013_cpu'))
