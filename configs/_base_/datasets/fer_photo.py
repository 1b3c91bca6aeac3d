# Real face crops, already dark, at FER2013's and FERPlus's 48 x 48: the
# test pipeline of an LL-FER config without its darkening (the benchmark's
# LowLight), each mmlldif step scoped so that mmpretrain's inferencers
# build it too. The inference configs (configs/inference/) use it.
photo_test_pipeline = [
    dict(type='LoadFERImage', _scope_='mmlldif'),
    dict(type='Resize', scale=(48, 48)),
    dict(type='PackInputs'),
]
