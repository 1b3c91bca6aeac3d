# LLDif stage 2 on LL-FER2013 for a 2-core CPU, the shipped recipe
# (lldif_stage2_ll-fer2013_cpu): its stage 1 plus the diffusion prior.
#
# The stage-1 teacher (LA-CLIP + PriorNet) is loaded frozen and gives the
# target Z from (image, label); a condition network encodes the low-light
# image into c, DiffusionPriorHead denoises Z_hat from c in 4 steps, and
# Z_hat modulates the backbone, which starts from stage 1's. 8 epochs.
#   python tools/train.py configs/lldif/lldif_stage2_ll-fer2013_cpu.py \
#       --data-root DATA
_base_ = './lldif_stage1_ll-fer2013_cpu.py'
model = dict(
    type='LLDifStage2',
    # from the pixels: PixelUnshuffle(8), 16 channels (1.4 M multiply-adds
    # per 48x48 image); the accuracy of PixelUnshuffle(4), 32 channels and
    # a denoiser of width 256 at a third of their latency (docs/method.md)
    condition_net=dict(
        type='ConditionNet', downscale=8, channels=16, num_blocks=2),
    diffusion=dict(
        type='DiffusionPriorHead', num_timesteps=4, hidden_dim=128),
    loss_prior=[dict(type='PriorKLLoss', tau=0.15, loss_weight=1.0)],
    # a stage-1 checkpoint, or its work dir (its last checkpoint)
    stage1_checkpoint='work_dirs/lldif_stage1_ll-fer2013_cpu')
