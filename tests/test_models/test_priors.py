import json

import pytest
import torch
import torch.nn as nn

from fixtures import TINY_CLIP
from mmlldif.models import LACLIP, ConditionNet, PriorNet

NAMES = ('angry', 'happy', 'sad')


def test_laclip_joint_embedding_and_cache():
    model = LACLIP(class_names=NAMES, clip_cfg=TINY_CLIP)
    out = model(torch.rand(2, 3, 48, 48), torch.tensor([0, 2]))
    assert out.shape == (2, model.out_dim) == (2, 32)
    # unit-norm halves; text half equals the class row
    img, txt = out.split(16, dim=1)
    assert torch.allclose(img.norm(dim=1), torch.ones(2), atol=1e-5)
    assert torch.equal(txt[1], model.class_embeddings()[2])
    assert model.class_embeddings() is model.class_embeddings()  # cached
    assert not any(p.requires_grad for p in model.parameters())
    model.train()
    assert not model.clip.training


def test_laclip_templates_average_and_trainable():
    model = LACLIP(
        class_names=NAMES,
        clip_cfg=TINY_CLIP,
        templates=('a face showing {}.', 'a {} person.'),
        frozen=False)
    assert model.prompt_tokens.shape[0] == 6
    out = model(torch.rand(2, 3, 32, 32), torch.tensor([0, 1]))
    out.sum().backward()
    assert model.clip.token_embedding.weight.grad is not None


def test_laclip_config_errors(tmp_path):
    with pytest.raises(ValueError, match='class_names'):
        LACLIP(class_names=(), clip_cfg=TINY_CLIP)
    with pytest.raises(ValueError, match='either clip_cfg or model_name'):
        LACLIP(class_names=NAMES, clip_cfg=TINY_CLIP, model_name='ViT-B-32')


def test_laclip_loads_an_open_clip_file_in_init_weights(tmp_path):
    """A local open_clip file of a named architecture is read when the
    runner initialises the model, not when it is built: testing a trained
    model does not need it."""
    import open_clip
    (tmp_path / 'mmlldif-tiny-test.json').write_text(json.dumps(TINY_CLIP))
    open_clip.add_model_config(tmp_path)
    weights = open_clip.create_model('mmlldif-tiny-test').state_dict()
    torch.save(weights, tmp_path / 'clip.bin')

    model = LACLIP(
        class_names=NAMES,
        model_name='mmlldif-tiny-test',
        pretrained=str(tmp_path / 'clip.bin'))
    key = 'visual.conv1.weight'
    assert not torch.equal(model.clip.state_dict()[key], weights[key])
    model.init_weights()
    assert torch.equal(model.clip.state_dict()[key], weights[key])
    assert not any(p.requires_grad for p in model.parameters())

    missing = LACLIP(
        class_names=NAMES,
        model_name='mmlldif-tiny-test',
        pretrained=str(tmp_path / 'missing.bin'))
    with pytest.raises(FileNotFoundError, match='missing.bin'):
        missing.init_weights()


def test_prior_and_condition_nets():
    z = PriorNet(in_dim=32, prior_dim=24)(torch.rand(3, 32))
    assert z.shape == (3, 24)
    net = ConditionNet(cond_dim=24, channels=8, num_blocks=1)
    images = torch.rand(3, 3, 48, 48)
    c = net(images)
    assert c.shape == (3, 24)
    # batch-normalised by default: in training a condition depends on the
    # batch, in eval mode (running statistics) on its image only
    assert any(isinstance(m, nn.BatchNorm2d) for m in net.modules())
    assert not torch.allclose(net(images[:1]), c[:1], atol=1e-5)
    net.eval()
    assert torch.allclose(net(images[:1]), net(images)[:1], atol=1e-5)


@pytest.mark.parametrize('norm_cfg', [None, dict(type='GN', num_groups=4)])
def test_condition_net_without_batch_statistics(norm_cfg):
    net = ConditionNet(
        cond_dim=24, channels=8, num_blocks=1, norm_cfg=norm_cfg)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in net.modules())
    images = torch.rand(3, 3, 48, 48)
    # in training too, one image alone gives the same condition
    assert torch.allclose(net(images[:1]), net(images)[:1], atol=1e-5)


def test_laclip_with_normal_image_and_without_label():
    images, normal = torch.rand(2, 3, 48, 48), torch.rand(2, 3, 48, 48)
    labels = torch.tensor([0, 2])
    model = LACLIP(class_names=NAMES, clip_cfg=TINY_CLIP,
                   with_normal_image=True)
    out = model(images, labels, normal)
    assert out.shape == (2, model.out_dim) == (2, 48)
    img, txt, img_normal = out.split(16, dim=1)
    assert torch.equal(txt[1], model.class_embeddings()[2])
    assert torch.allclose(img_normal, model.encode_image(normal))
    assert not torch.allclose(img_normal, img)
    with pytest.raises(ValueError, match="algorithm_keys=\\['img_normal'\\]"):
        model(images, labels)

    no_label = LACLIP(class_names=NAMES, clip_cfg=TINY_CLIP,
                      with_label=False, with_normal_image=True)
    assert no_label.out_dim == 32
    assert torch.equal(
        no_label(images, labels, normal),
        no_label(images, torch.tensor([1, 1]), normal))
    with pytest.raises(ValueError, match='with_normal_image=True'):
        LACLIP(class_names=NAMES, clip_cfg=TINY_CLIP, with_label=False)
