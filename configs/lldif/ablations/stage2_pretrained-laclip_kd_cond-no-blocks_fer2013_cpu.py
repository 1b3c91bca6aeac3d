# Ablation of the headline LLDif (stage 2 on the pretrained LA-CLIP, with
# distillation): the condition net without its two residual blocks (stem,
# one convolution, pooling and the MLP), for the latency target: its time
# is mostly the fixed cost of each small call, so fewer layers, not fewer
# multiply-adds, is what shortens it.
_base_ = './stage2_pretrained-laclip_kd_fer2013_cpu.py'
model = dict(condition_net=dict(num_blocks=0))
