# LLDif stage 2 on LL-FER2013 on top of stage1_pretrained-laclip: the
# teacher (pretrained LA-CLIP + PriorNet) comes from the stage-1 checkpoint.
_base_ = ['./stage2_fer2013_cpu.py', '../../_base_/models/laclip_cpu.py']
model = dict(
    la_clip=dict(clip_cfg={{_base_.laclip_cpu_replace}}),
    stage1_checkpoint='work_dirs/stage1_pretrained-laclip_fer2013_cpu')
