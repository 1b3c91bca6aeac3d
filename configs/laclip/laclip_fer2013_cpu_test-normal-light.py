# Zero-shot test of a laclip_fer2013_cpu.py checkpoint on normal-light
# FER2013 test faces (the training config tests on LL-FER2013):
#   python tools/test.py \
#       configs/laclip/laclip_fer2013_cpu_test-normal-light.py CKPT
_base_ = './laclip_fer2013_cpu.py'
test_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadFERImage'),
        dict(type='Resize', scale=(48, 48)),
        dict(type='PackInputs'),
    ]))
