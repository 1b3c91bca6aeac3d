# Ablation of the headline LLDif (stage 2 on the pretrained LA-CLIP, with
# distillation): the condition net's stem is a 1x1 convolution, a linear
# embedding of each 8x8 patch (default 3x3): 0.6 M multiply-adds a 48x48
# image instead of 1.4 M, for the latency target.
_base_ = '../stage2_pretrained-laclip_kd_fer2013_cpu.py'
model = dict(condition_net=dict(stem_kernel_size=1))
