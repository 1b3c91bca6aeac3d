# The released llformer_ll-fer2013_cpu, for real dark photos: its trained
# config with a test pipeline that does not darken the faces as the LL-FER
# benchmark does. mmpretrain.get_model and its inferencers use it by name
# (model-index.yml here).
_base_ = '../baselines/llformer_ll-fer2013_cpu.py'
model = dict(_scope_='mmlldif')
test_pipeline = [
    dict(type='LoadFERImage', _scope_='mmlldif'),
    dict(type='Resize', scale=(48, 48)),
    dict(type='PackInputs'),
]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
