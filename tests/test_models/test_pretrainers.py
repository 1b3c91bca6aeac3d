"""Stage 0: LA-CLIP pretraining with open_clip's CLIP loss, and the
checkpoint's way back into LACLIP and open_clip."""
import pytest
import torch

from fixtures import TINY_CLIP
from mmlldif.models import LACLIP, LACLIPPretrainer
from mmlldif.registry import MODELS

CLASSES = ('left', 'right')


def pretrainer(clip_cfg=TINY_CLIP, classes=CLASSES):
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='LACLIPPretrainer',
            la_clip=dict(
                type='LACLIP', class_names=classes, clip_cfg=clip_cfg)))


def two_class_batch(n=16):
    """Faces bright on the left (class 0) or on the right (class 1)."""
    from mmpretrain.structures import DataSample
    torch.manual_seed(1)
    labels = torch.arange(n) % 2
    images = torch.randn(n, 3, 32, 32) * 0.3
    for i, label in enumerate(labels):
        half = slice(0, 16) if label == 0 else slice(16, 32)
        images[i, :, :, half] += 1.5
    return images, [DataSample().set_gt_label(int(c)) for c in labels]


def test_pretraining_lowers_the_clip_loss_and_learns_the_prompts():
    model = pretrainer()
    assert not model.la_clip.frozen  # a frozen config is trained anyway
    assert all(p.requires_grad for p in model.parameters())
    images, samples = two_class_batch()
    optim = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(40):
        loss = model(images, samples, mode='loss')['loss_clip']
        optim.zero_grad()
        loss.backward()
        optim.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] - 0.5, losses
    model.eval()
    preds = model(images, [s.clone() for s in samples], mode='predict')
    scores = torch.stack([p.pred_score for p in preds])
    assert torch.allclose(scores.sum(1), torch.ones(16))
    labels = torch.cat([s.gt_label for s in samples])
    assert (scores.argmax(1) == labels).float().mean() == 1.0
    # tensor mode: the zero-shot logits that predict softmaxes
    assert torch.allclose(model(images).softmax(1), scores, atol=1e-6)


def test_pretraining_needs_labels():
    images, _ = two_class_batch(4)
    with pytest.raises(ValueError, match='needs ground-truth labels'):
        pretrainer()(images, None, mode='loss')


def save_checkpoint(model, path, classes=CLASSES):
    torch.save(
        dict(
            state_dict=model.state_dict(),
            meta=dict(dataset_meta=dict(classes=list(classes)))), path)


def test_checkpoint_loads_into_laclip_unchanged(tmp_path):
    model = pretrainer().eval()
    path = str(tmp_path / 'laclip.pth')
    save_checkpoint(model, path)
    la_clip = LACLIP(CLASSES, clip_cfg=TINY_CLIP, pretrained=path).eval()
    assert la_clip.frozen
    # read by init_weights (the runner calls it before training), not when
    # built: testing a trained model takes the teacher from its checkpoint
    assert not torch.equal(la_clip.clip.visual.conv1.weight,
                           model.la_clip.clip.visual.conv1.weight)
    la_clip.init_weights()
    # the same weights, bit for bit, hence the same outputs (to float
    # rounding: the kernels a CPU picks may sum in another order)
    own = la_clip.state_dict()
    assert all(
        torch.equal(own[k], v) for k, v in model.la_clip.state_dict().items())
    images, _ = two_class_batch(4)
    with torch.no_grad():
        assert torch.allclose(
            la_clip.prompt_logits(images),
            model.la_clip.prompt_logits(images),
            atol=1e-6)
        assert torch.allclose(
            la_clip(images, torch.tensor([0, 1, 1, 0])),
            model.la_clip(images, torch.tensor([0, 1, 1, 0])),
            atol=1e-6)
    # and through a config, as stage 1 builds it
    built = MODELS.build(
        dict(
            type='LACLIP',
            class_names=CLASSES,
            clip_cfg=TINY_CLIP,
            pretrained=path))
    built.init_weights()
    assert torch.equal(built.clip.logit_scale, model.la_clip.clip.logit_scale)


def test_bad_pretrained_files_are_clear_errors(tmp_path):
    path = str(tmp_path / 'laclip.pth')
    save_checkpoint(pretrainer(), path)

    def load(class_names=CLASSES, clip_cfg=TINY_CLIP, pretrained=path):
        LACLIP(class_names, clip_cfg=clip_cfg,
               pretrained=pretrained).init_weights()

    with pytest.raises(ValueError, match='pretrained on the classes'):
        load(class_names=('a', 'b'))
    with pytest.raises(ValueError, match='does not fit the CLIP of clip_cfg'):
        load(clip_cfg=dict(TINY_CLIP, embed_dim=8))
    head = str(tmp_path / 'head.pth')
    torch.save(dict(state_dict={'head.fc.weight': torch.zeros(2, 2)}), head)
    with pytest.raises(KeyError, match='head.pth holds no CLIP weights'):
        load(pretrained=head)
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        load(pretrained=str(tmp_path / 'missing.pth'))


def test_export_loads_back_into_open_clip(tmp_path):
    import open_clip

    from mmlldif.apis.open_clip_export import export_open_clip
    model = pretrainer().eval()
    path = str(tmp_path / 'laclip.pth')
    save_checkpoint(model, path)
    config, weights = export_open_clip(path, TINY_CLIP, str(tmp_path / 'out'),
                                       'laclip-tiny-test')
    open_clip.add_model_config(config)
    clip = open_clip.create_model(
        'laclip-tiny-test', pretrained=weights).eval()
    images, _ = two_class_batch(4)
    with torch.no_grad():
        assert torch.allclose(
            clip.encode_image(images),
            model.la_clip.clip.encode_image(images),
            atol=1e-6)
        tokens = open_clip.tokenize(['a photo of a face showing left.'],
                                    TINY_CLIP['text_cfg']['context_length'])
        assert torch.allclose(
            clip.encode_text(tokens),
            model.la_clip.clip.encode_text(tokens),
            atol=1e-6)


def test_resnet_image_tower_of_the_cpu_config():
    """The CPU config's ModifiedResNet tower runs at 48 px (its attention
    pool sees 1x1 after five halvings) and trains."""
    from mmengine.config import Config
    cfg = Config.fromfile('configs/_base_/models/laclip_cpu.py')
    model = pretrainer(cfg.laclip_cpu.to_dict())
    assert isinstance(model, LACLIPPretrainer)
    images = torch.randn(4, 3, 48, 48)
    assert model(images).shape == (4, 2)
