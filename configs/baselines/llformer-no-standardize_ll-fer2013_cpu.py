# Ablation: llformer_ll-fer2013_cpu.py without the per-image exposure
# normalisation of LowLightDataPreprocessor (docs/method.md, item 1): the
# dark images go in with CLIP's mean and std only.
_base_ = './llformer_ll-fer2013_cpu.py'
model = dict(data_preprocessor=dict(standardize=False))
