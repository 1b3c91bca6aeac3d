import pytest
import torch
import torch.nn as nn

from mmlldif.models import LLformer
from mmlldif.models.backbones.llformer import DGFN, DMTA, PriorModulation


def test_shapes_per_arch():
    model = LLformer(arch='tiny', prior_dim=32, out_indices=(0, 1, 2))
    feats = model(torch.rand(2, 3, 48, 48), torch.rand(2, 32))
    assert [f.shape for f in feats] == [(2, 16, 48, 48), (2, 32, 24, 24),
                                        (2, 64, 12, 12)]
    base = LLformer(arch='base', prior_dim=None)
    assert base(torch.rand(1, 3, 32, 32))[-1].shape == (1, 384, 4, 4)


def test_stem_stride_halves_every_stage():
    model = LLformer(arch='tiny', prior_dim=None, stem_stride=2,
                     out_indices=(0, 2))
    feats = model(torch.rand(2, 3, 48, 48))
    assert [f.shape for f in feats] == [(2, 16, 24, 24), (2, 64, 6, 6)]
    # stride 1 keeps the 3x3 stem of existing checkpoints
    assert LLformer(arch='tiny').stem.weight.shape == (16, 3, 3, 3)
    with pytest.raises(ValueError, match='stem_stride'):
        LLformer(stem_stride=0)


@pytest.mark.parametrize('stride', [1, 2, 4, 8])
def test_conv_stem_reaches_the_stem_stride(stride):
    model = LLformer(arch='tiny', prior_dim=8, stem_stride=stride,
                     stem_type='conv', out_indices=(0, ))
    assert model(torch.rand(2, 3, 64, 64))[0].shape == (2, 16, 64 // stride,
                                                        64 // stride)
    convs = [m for m in model.stem.modules() if isinstance(m, nn.Conv2d)]
    # one stride-2 3x3 layer per halving, then one at stride 1
    assert [c.stride[0] for c in convs
            ] == [2] * (stride.bit_length() - 1) + [1]
    assert all(c.kernel_size == (3, 3) for c in convs)
    assert convs[-1].out_channels == 16


def test_bad_stem():
    with pytest.raises(ValueError, match='power-of-2'):
        LLformer(stem_stride=3, stem_type='conv')
    with pytest.raises(ValueError, match='stem_type'):
        LLformer(stem_type='conv7')


def test_runs_without_prior_and_fresh_modulation_is_identity():
    model = LLformer(arch='tiny', prior_dim=16).eval()
    x = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        plain = model(x)[0]
        modulated = model(x, torch.randn(2, 16))[0]
    assert torch.allclose(plain, modulated)


def test_prior_changes_features_once_trained():
    model = LLformer(arch='tiny', prior_dim=16)
    for m in model.modules():
        if isinstance(m, PriorModulation):
            torch.nn.init.normal_(m.proj.weight)
    x = torch.rand(2, 3, 32, 32)
    a = model(x, torch.zeros(2, 16))[0]
    b = model(x, torch.ones(2, 16))[0]
    assert not torch.allclose(a, b)


def test_sub_blocks_keep_shape_and_validate():
    x = torch.rand(2, 8, 6, 6)
    assert DMTA(8, 2)(x).shape == x.shape
    assert DGFN(8, 2.0)(x).shape == x.shape
    with pytest.raises(ValueError, match='heads'):
        DMTA(6, 4)


def test_bad_arch_and_prior_length():
    with pytest.raises(KeyError, match='unknown arch'):
        LLformer(arch='huge')
    with pytest.raises(ValueError, match='doubles'):
        LLformer(arch=dict(embed_dims=(8, 8), depths=(1, 1),
                           num_heads=(1, 1), ffn_ratio=2))
    with pytest.raises(ValueError, match='prior has 8 values'):
        LLformer(prior_dim=16)(torch.rand(1, 3, 16, 16), torch.rand(1, 8))


def test_in_mmpretrain_image_classifier():
    from mmpretrain.models import ImageClassifier
    from mmpretrain.structures import DataSample
    model = ImageClassifier(
        backbone=dict(type='mmlldif.LLformer', arch='tiny', prior_dim=None),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=7, in_channels=64))
    samples = [DataSample().set_gt_label(i) for i in range(2)]
    loss = model(torch.rand(2, 3, 32, 32), samples, mode='loss')['loss']
    loss.backward()
    assert model.backbone.stem.weight.grad is not None


def test_one_projection_for_all_modulations_equals_one_each():
    from mmlldif.models.backbones.llformer import prior_affines
    mods = [PriorModulation(8, 4), PriorModulation(8, 6)]
    for m in mods:
        torch.nn.init.normal_(m.proj.weight)
        torch.nn.init.normal_(m.proj.bias)
    prior, strength = torch.randn(3, 8), torch.tensor([1., 0., 0.5])
    x = [torch.randn(3, 4, 5, 5), torch.randn(3, 6, 5, 5)]
    for m, xi, affine in zip(mods, x, prior_affines(mods, prior, strength)):
        gamma, beta = m.proj(prior).chunk(2, dim=1)
        gamma = gamma * strength[:, None]
        beta = beta * strength[:, None]
        expected = (1 + gamma[..., None, None]) * xi + beta[..., None, None]
        assert torch.allclose(m(xi, affine), expected, atol=1e-6)
    # strength 0: that sample is unmodulated
    unmodulated = mods[0](x[0], prior_affines(mods, prior, strength)[0])[1]
    assert torch.equal(unmodulated, x[0][1])
