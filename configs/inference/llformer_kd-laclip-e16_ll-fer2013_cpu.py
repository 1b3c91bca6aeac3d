# The released llformer_kd-laclip-e16_ll-fer2013_cpu, for real dark photos:
# its trained config, built without its training-only parts (the release file
# has none) and with a test pipeline that does not darken the faces as the
# LL-FER benchmark does. mmpretrain.get_model and its inferencers use it by
# name (model-index.yml here).
_base_ = [
    '../baselines/llformer_kd-laclip-e16_ll-fer2013_cpu.py',
    '../_base_/datasets/fer_photo.py'
]
model = dict(_scope_='mmlldif', inference_only=True)
test_dataloader = dict(
    dataset=dict(pipeline={{_base_.photo_test_pipeline}}))
