# The released llformer_kd-laclip-e16_ll-fer2013_cpu, for real dark photos:
# its trained config, built without its training-only parts (the release file
# has none) and with a test pipeline that does not darken the faces as the
# LL-FER benchmark does. mmpretrain.get_model and its inferencers use it by
# name (model-index.yml here).
_base_ = '../baselines/llformer_kd-laclip-e16_ll-fer2013_cpu.py'
model = dict(_scope_='mmlldif', inference_only=True)
test_pipeline = [
    dict(type='LoadFERImage', _scope_='mmlldif'),
    dict(type='Resize', scale=(48, 48)),
    dict(type='PackInputs'),
]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
