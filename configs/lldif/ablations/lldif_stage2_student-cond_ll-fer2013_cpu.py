# The LA-CLIP condition without LA-CLIP at inference: a small CNN student
# (PixelUnshuffle(4), 32 channels, 2 residual blocks) learns LA-CLIP's
# image embedding of the dark face in stage 2, and the LA-CLIP condition's
# MLP maps its prediction to c. One change to
# lldif_stage2_laclip-cond_ll-fer2013_cpu.py; its release has no CLIP tower.
_base_ = '../lldif_stage2_laclip-cond_ll-fer2013_cpu.py'
model = dict(
    condition_net=dict(
        _delete_=True,
        type='StudentConditionNet',
        hidden_dim=128,
        student=dict(downscale=4, channels=32, num_blocks=2)))
