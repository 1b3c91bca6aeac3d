# The preprocessing of every model compared on LL-FER: CLIP's mean and std
# (0-255 scale), RGB, then LowLightDataPreprocessor's per-image exposure
# normalisation. LA-CLIP is pretrained with it too, so that it later sees
# images as in pretraining.
low_light_preprocessor = dict(
    type='LowLightDataPreprocessor',
    mean=[122.770938, 116.7460125, 104.09373615],
    std=[68.5005327, 66.6321579, 70.32316305],
    to_rgb=True)
