# LLDif stage 2 conditioned as the authors build it: c comes from the frozen
# LA-CLIP's image embedding of the low-light face (PNET-S2 on the CLIP image
# encoder), not from a small network on the pixels. One change to
# lldif_stage2_ll-fer2013_cpu.py; prediction then runs LA-CLIP's image tower.
_base_ = './lldif_stage2_ll-fer2013_cpu.py'
model = dict(
    condition_net=dict(
        _delete_=True, type='LACLIPConditionNet', hidden_dim=128))
