# The shipped LLDif (lldif_stage2_ll-fer2013_cpu): stage 2 distilled from
# the LA-CLIP, 8 epochs, on top of stage1_pretrained-laclip_kd-e8, which
# distils it too. Run that first.
_base_ = './stage2_pretrained-laclip_kd_fer2013_cpu.py'
model = dict(
    stage1_checkpoint='work_dirs/stage1_pretrained-laclip_kd-e8_fer2013_cpu')
train_cfg = dict(max_epochs=8)
