import copy

import numpy as np
import pytest
import torch
from mmengine.runner import save_checkpoint
from mmpretrain.structures import DataSample

from fixtures import TINY_CLIP
from mmlldif.models import LLDifStage1, LLDifStage2, Stage1CheckpointError
from mmlldif.registry import MODELS

NAMES = ('angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral')


def stage1_cfg(prior_dim=16, num_classes=7):
    return dict(
        type='LLDifStage1',
        la_clip=dict(
            type='LACLIP', class_names=NAMES[:num_classes],
            clip_cfg=TINY_CLIP),
        prior_net=dict(type='PriorNet', prior_dim=prior_dim, hidden_dim=32),
        backbone=dict(type='LLformer', arch='tiny', prior_dim=prior_dim),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead', num_classes=num_classes, in_channels=64))


def stage2_cfg(stage1_checkpoint=None,
               backbone_checkpoint=None,
               loss_distill=None,
               **kwargs):
    cfg = stage1_cfg(**kwargs)
    prior_dim = cfg['prior_net']['prior_dim']
    cfg.update(
        type='LLDifStage2',
        condition_net=dict(
            type='ConditionNet', cond_dim=prior_dim, channels=8,
            num_blocks=1),
        diffusion=dict(
            type='DiffusionPriorHead', prior_dim=prior_dim, hidden_dim=32),
        stage1_checkpoint=stage1_checkpoint,
        backbone_checkpoint=backbone_checkpoint,
        loss_distill=loss_distill)
    return cfg


def batch(n=4, size=32):
    torch.manual_seed(0)
    return torch.rand(n, 3, size, size), [
        DataSample().set_gt_label(i % 7) for i in range(n)
    ]


def test_stage1_loss_predict_and_oracle_needs_labels():
    model = MODELS.build(stage1_cfg())
    x, samples = batch()
    losses = model(x, samples, mode='loss')
    assert set(losses) == {'loss'} and losses['loss'] > 0
    preds = model(x, copy.deepcopy(samples), mode='predict')
    assert len(preds) == 4 and preds[0].pred_score.shape == (7, )
    with pytest.raises(ValueError, match='needs ground-truth labels'):
        model(x, mode='predict')


def test_stage1_gradients_reach_prior_net_and_backbone_not_frozen_clip():
    model = MODELS.build(stage1_cfg())
    x, samples = batch()
    model(x, samples, mode='loss')['loss'].backward()
    assert model.prior_net.mlp[0].weight.grad is not None
    assert model.backbone.stem.weight.grad is not None
    assert all(p.grad is None for p in model.la_clip.parameters())


def test_stage1_distillation_term_reaches_the_classifier_not_la_clip():
    cfg = dict(
        stage1_cfg(), loss_distill=dict(type='DistillationKLLoss', tau=2.0))
    model = MODELS.build(cfg)
    x, samples = batch()
    losses = model(x, samples, mode='loss')
    assert set(losses) == {'loss', 'loss_kd'} and losses['loss_kd'] > 0
    model.zero_grad()
    losses['loss_kd'].backward()
    assert model.head.fc.weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.la_clip.parameters())
    # the term is the KD of the LA-CLIP's prompt logits: a head that
    # outputs them exactly has none
    with torch.no_grad():
        teacher = model.la_clip.prompt_logits(x)
    model.head.forward = lambda feats: teacher
    assert model(x, samples, mode='loss')['loss_kd'].abs() < 1e-6


@pytest.fixture
def stage1_checkpoint(tmp_path):
    model = MODELS.build(stage1_cfg())
    path = str(tmp_path / 'stage1.pth')
    save_checkpoint({'state_dict': model.state_dict(), 'meta': {}}, path)
    return model, path


def test_stage2_starts_from_stage1_and_freezes_teacher(stage1_checkpoint):
    stage1, path = stage1_checkpoint
    model = MODELS.build(stage2_cfg(path))
    model.init_weights()
    for key, value in stage1.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key
    teacher_before = copy.deepcopy(model.prior_net.state_dict())
    clip_before = copy.deepcopy(model.la_clip.state_dict())
    optim = torch.optim.SGD(
        [p for p in model.parameters() if p.requires_grad], lr=0.5)
    model.train()
    assert not model.prior_net.training and not model.la_clip.training
    x, samples = batch()
    for _ in range(2):
        losses = model(x, samples, mode='loss')
        assert set(losses) == {'loss', 'loss_kl'}
        optim.zero_grad()
        sum(losses.values()).backward()
        grads = {
            'condition_net': model.condition_net.head[0].weight.grad,
            'denoiser': model.diffusion.denoiser[0].weight.grad,
            'backbone': model.backbone.stem.weight.grad,
        }
        assert all(g is not None and g.abs().sum() > 0
                   for g in grads.values()), grads
        assert all(p.grad is None for p in model.prior_net.parameters())
        optim.step()
    for key, value in teacher_before.items():
        assert torch.equal(model.prior_net.state_dict()[key], value)
    for key, value in clip_before.items():
        assert torch.equal(model.la_clip.state_dict()[key], value)


def test_stage2_teacher_comes_from_stage1_not_la_clip_pretrained(
        tmp_path, stage1_checkpoint):
    stage1, path = stage1_checkpoint
    cfg = stage2_cfg(path)
    cfg['la_clip']['pretrained'] = str(tmp_path / 'stage0_removed.pth')
    model = MODELS.build(cfg)
    model.init_weights()
    for key, value in stage1.la_clip.state_dict().items():
        assert torch.equal(model.la_clip.state_dict()[key], value), key
    # stage 1 itself still needs LA-CLIP's file
    with pytest.raises(FileNotFoundError, match='stage0_removed'):
        MODELS.build(dict(stage1_cfg(), la_clip=cfg['la_clip'])).init_weights()


def test_stage2_distillation_term_is_the_la_clip_prompt_kd(
        stage1_checkpoint):
    _, path = stage1_checkpoint
    model = MODELS.build(
        stage2_cfg(
            path, loss_distill=dict(type='DistillationKLLoss', tau=2.0)))
    model.init_weights()
    x, samples = batch()
    losses = model(x, samples, mode='loss')
    assert set(losses) == {'loss', 'loss_kl', 'loss_kd'}
    assert losses['loss_kd'] > 0
    # it reaches the classifier, not the frozen LA-CLIP it comes from
    losses['loss_kd'].backward()
    assert model.head.fc.weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.la_clip.parameters())
    # the same term as the distillation control's
    kd = MODELS.build(dict(type='DistillationKLLoss', tau=2.0))
    with torch.no_grad():
        teacher = model.la_clip.prompt_logits(x)
    assert kd(teacher, teacher).abs() < 1e-6
    assert kd(-teacher, teacher) > 0


def test_stage2_prediction_is_deterministic_and_label_free(stage1_checkpoint):
    _, path = stage1_checkpoint
    model = MODELS.build(stage2_cfg(path)).eval()
    x, _ = batch(6)
    with torch.no_grad():
        first = model(x, mode='predict')
        second = model(x, mode='predict')
        single = model(x[3:4], mode='predict')
    scores = torch.stack([p.pred_score for p in first])
    assert torch.equal(scores, torch.stack([p.pred_score for p in second]))
    assert torch.allclose(single[0].pred_score, scores[3], atol=1e-5)


def test_privileged_prior_uses_the_normal_image_and_stage2_does_not(
        tmp_path):
    """With LACLIP(with_normal_image) the teacher's Z changes with the
    normal-light image the data preprocessor prepares; stage 2's
    prediction does not look at it."""
    cfg = stage1_cfg()
    cfg['la_clip']['with_normal_image'] = True
    stage1 = MODELS.build(cfg).eval()
    rng = np.random.default_rng(0)
    x, samples = batch(4, size=16)
    for s in samples:
        s.set_field(rng.integers(0, 255, (16, 16, 3), np.uint8), 'img_normal')
    with torch.no_grad():
        z = stage1.label_prior(x, samples)
        normal = stage1.data_preprocessor.normal_images(samples)
        assert normal.shape == (4, 3, 16, 16)
        assert torch.allclose(normal.mean(dim=(1, 2, 3)), torch.zeros(4),
                              atol=1e-5)  # standardised as the inputs
        changed = copy.deepcopy(samples)
        changed[0].img_normal = changed[0].img_normal[::-1].copy()
        z_changed = stage1.label_prior(x, changed)
    assert not torch.allclose(z[0], z_changed[0])
    assert torch.equal(z[1:], z_changed[1:])
    assert stage1(x, samples, mode='loss')['loss'] > 0
    without = [DataSample().set_gt_label(s.gt_label) for s in samples]
    with pytest.raises(KeyError, match='Sample 0 .*img_normal'):
        stage1(x, without, mode='loss')

    path = str(tmp_path / 'stage1.pth')
    save_checkpoint({'state_dict': stage1.state_dict()}, path)
    cfg2 = stage2_cfg(path)
    cfg2['la_clip']['with_normal_image'] = True
    stage2 = MODELS.build(cfg2)
    stage2.init_weights()
    assert stage2(x, samples, mode='loss')['loss_kl'] >= 0
    stage2.eval()
    with torch.no_grad():
        with_normal = stage2(x, samples, mode='predict')
        without_normal = stage2(x, copy.deepcopy(without), mode='predict')
    assert all(
        torch.equal(a.pred_score, b.pred_score)
        for a, b in zip(with_normal, without_normal))


def llformer_checkpoint(path):
    """A prior-free LLformer classifier and its checkpoint at ``path``."""
    model = MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=dict(type='LLformer', arch='tiny', prior_dim=None),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=7, in_channels=64)))
    save_checkpoint({'state_dict': model.state_dict()}, path)
    return model, path


def test_stage2_checkpoint_errors(tmp_path, stage1_checkpoint):
    _, path = stage1_checkpoint
    with pytest.raises(Stage1CheckpointError, match='set\\s+model.stage1'):
        MODELS.build(stage2_cfg(None)).init_weights()
    with pytest.raises(Stage1CheckpointError, match='file not found'):
        MODELS.build(stage2_cfg(str(tmp_path / 'nope.pth'))).init_weights()
    with pytest.raises(Stage1CheckpointError, match='last_checkpoint'):
        MODELS.build(stage2_cfg(str(tmp_path))).init_weights()
    # another prior length and another class count
    with pytest.raises(Stage1CheckpointError, match='of another shape'):
        MODELS.build(stage2_cfg(path, prior_dim=24)).init_weights()
    with pytest.raises(Stage1CheckpointError, match='head.fc.weight'):
        MODELS.build(stage2_cfg(path, num_classes=5)).init_weights()
    _, other_path = llformer_checkpoint(str(tmp_path / 'other.pth'))
    with pytest.raises(Stage1CheckpointError, match='weights missing'):
        MODELS.build(stage2_cfg(other_path)).init_weights()


def test_stage2_backbone_from_an_llformer_classifier(tmp_path,
                                                     stage1_checkpoint):
    """backbone_checkpoint: teacher from stage 1, backbone and head from a
    prior-free LLformer classifier, modulation starting at zero."""
    stage1, _ = stage1_checkpoint
    stage1 = copy.deepcopy(stage1)
    with torch.no_grad():  # a trained stage 1 modulates
        for name, p in stage1.backbone.named_parameters():
            if '.mod' in name:
                p.normal_()
    path = str(tmp_path / 'stage1.pth')
    save_checkpoint({'state_dict': stage1.state_dict()}, path)
    llformer, llformer_path = llformer_checkpoint(
        str(tmp_path / 'llformer.pth'))
    model = MODELS.build(stage2_cfg(path, backbone_checkpoint=llformer_path))
    model.init_weights()
    own = model.state_dict()
    for key, value in llformer.state_dict().items():
        assert torch.equal(own[key], value), key
    for key, value in stage1.state_dict().items():
        if key.startswith(('la_clip.', 'prior_net.')):
            assert torch.equal(own[key], value), key
    mods = [v for k, v in own.items() if '.mod' in k]
    assert mods and all(not v.any() for v in mods)
    # so it classifies as the LLformer does, whatever the prior
    x, _ = batch(4)
    model.eval()
    with torch.no_grad():
        assert torch.allclose(model(x), llformer.eval()(x), atol=1e-5)

    wrong = MODELS.build(
        stage2_cfg(path, backbone_checkpoint=str(tmp_path / 'nope.pth')))
    with pytest.raises(Stage1CheckpointError,
                       match='model.backbone_checkpoint: file not found'):
        wrong.init_weights()


def test_stage1_checkpoint_from_work_dir(tmp_path, stage1_checkpoint):
    _, path = stage1_checkpoint
    (tmp_path / 'last_checkpoint').write_text(path)
    model = MODELS.build(stage2_cfg(str(tmp_path)))
    model.init_weights()
    # the file the work dir names was loaded: teacher and classifier
    state = torch.load(path, weights_only=True)['state_dict']
    own = model.state_dict()
    for key, value in state.items():
        assert torch.equal(own[key], value), key


def test_registered_classes_build():
    assert isinstance(MODELS.build(stage1_cfg()), LLDifStage1)
    assert isinstance(MODELS.build(stage2_cfg()), LLDifStage2)


def test_prior_length_is_given_once():
    cfg = stage2_cfg(prior_dim=16)
    for key, part in (('prior_dim', 'backbone'), ('cond_dim', 'condition_net'),
                      ('prior_dim', 'diffusion')):
        cfg[part].pop(key, None)
    model = MODELS.build(cfg)
    assert (model.backbone.prior_dim, model.diffusion.prior_dim,
            model.condition_net.head[-1].out_features) == (16, 16, 16)
    cfg['diffusion']['prior_dim'] = 8
    with pytest.raises(ValueError, match=r'prior_dim=8 but the prior has 16'):
        MODELS.build(cfg)


def test_the_ablation_losses_and_preprocessing_build_and_work():
    l1 = MODELS.build(dict(type='PriorL1Loss', loss_weight=2.0))
    z = torch.zeros(2, 4)
    assert l1(z + 0.5, z) == pytest.approx(1.0)
    plain = MODELS.build(
        dict(type='LowLightDataPreprocessor', standardize=False))
    norm = MODELS.build(dict(type='LowLightDataPreprocessor'))
    data = dict(inputs=[torch.full((3, 8, 8), 10, dtype=torch.uint8)],
                data_samples=None)
    # a dark, flat image stays dark without the per-image normalisation
    assert plain(copy.deepcopy(data))['inputs'].mean() == pytest.approx(10)
    assert norm(data)['inputs'].abs().max() < 1e-3


def la_clip_condition_cfg(stage1_checkpoint=None, **kwargs):
    cfg = stage2_cfg(stage1_checkpoint, **kwargs)
    cfg['condition_net'] = dict(type='LACLIPConditionNet', hidden_dim=32)
    return cfg


def test_stage2_la_clip_condition_reads_the_image_embedding(
        stage1_checkpoint):
    _, path = stage1_checkpoint
    model = MODELS.build(la_clip_condition_cfg(path))
    model.init_weights()
    # its input is LA-CLIP's image embedding, its output the prior length
    assert model.condition_net.mlp[0].in_features == model.la_clip.embed_dim
    x, samples = batch()
    model.train()
    sum(model(x, samples, mode='loss').values()).backward()
    assert model.condition_net.mlp[0].weight.grad.abs().sum() > 0
    assert all(p.grad is None for p in model.la_clip.parameters())
    model.eval()
    c = model.condition(x)
    expected = model.condition_net(model.la_clip.encode_image(x))
    assert torch.allclose(c, expected)
    # another face, another condition
    assert not torch.allclose(c[0], c[1])


def test_stage2_la_clip_condition_keeps_only_the_image_tower_to_predict(
        tmp_path, stage1_checkpoint):
    from mmlldif.utils import check_state_dict
    from mmlldif.utils.checkpoint import is_training_only
    _, path = stage1_checkpoint
    model = MODELS.build(la_clip_condition_cfg(path))
    kept = {
        k
        for k in model.state_dict()
        if not is_training_only(k, model.TRAINING_ONLY)
    }
    assert any(k.startswith('la_clip.clip.visual.') for k in kept)
    assert not any(
        k.startswith(('prior_net.', 'la_clip.clip.transformer.')) or
        k in ('la_clip.clip.token_embedding.weight',
              'la_clip.clip.logit_scale') for k in kept)
    state = {k: v for k, v in model.state_dict().items() if k in kept}
    check_state_dict(model, state, 'release.pth', inference_only=True)
    del state['la_clip.clip.visual.conv1.weight']
    with pytest.raises(Exception, match='la_clip.clip.visual.conv1.weight'):
        check_state_dict(model, state, 'release.pth', inference_only=True)
    # the pixel condition keeps none of LA-CLIP
    pixel = MODELS.build(stage2_cfg(path))
    assert is_training_only('la_clip.clip.visual.conv1.weight',
                            pixel.TRAINING_ONLY)
    # built to predict only, a model has exactly the release's weights and
    # predicts as the whole model does
    for cfg, full in ((la_clip_condition_cfg(path), model),
                      (stage2_cfg(path), pixel)):
        kept = {
            k: v
            for k, v in full.state_dict().items()
            if not is_training_only(k, full.TRAINING_ONLY)
        }
        lean = MODELS.build(dict(cfg, inference_only=True))
        assert set(lean.state_dict()) == set(kept)
        lean.load_state_dict(kept, strict=True)
        x, _ = batch()
        full.eval(), lean.eval()
        with torch.no_grad():
            assert torch.allclose(full(x), lean(x))


def test_stage2_student_condition_learns_la_clip_embedding(stage1_checkpoint):
    from mmlldif.utils.checkpoint import is_training_only
    _, path = stage1_checkpoint
    cfg = stage2_cfg(path)
    cfg['condition_net'] = dict(
        type='StudentConditionNet',
        hidden_dim=32,
        student=dict(downscale=4, channels=8, num_blocks=1))
    model = MODELS.build(cfg)
    model.init_weights()
    assert model.condition_net.student.head[-1].out_features == (
        model.la_clip.embed_dim)
    x, samples = batch()
    losses = model.loss(x, samples)
    with torch.no_grad():
        target = model.la_clip.encode_image(x)
        pred = model.condition_net.embed(x)
    expected = 1 - torch.cosine_similarity(pred, target, dim=1).mean()
    assert torch.allclose(losses['loss_embed'], expected, atol=1e-6)
    # the student learns the embedding through this loss alone
    losses['loss_embed'].backward()
    assert model.condition_net.student.head[-1].weight.grad.abs().sum() > 0
    # prediction needs no LA-CLIP: a release has none of it
    assert is_training_only('la_clip.clip.visual.conv1.weight',
                            model.TRAINING_ONLY)
    lean = MODELS.build(dict(cfg, inference_only=True))
    assert not hasattr(lean, 'la_clip')
    lean.load_state_dict({
        k: v
        for k, v in model.state_dict().items()
        if not is_training_only(k, model.TRAINING_ONLY)
    })
    model.eval(), lean.eval()
    with torch.no_grad():
        assert torch.allclose(model(x), lean(x))


def test_one_image_tower_pass_gives_the_losses_of_two(stage1_checkpoint):
    _, path = stage1_checkpoint
    kd = dict(type='DistillationKLLoss', tau=2.0)
    for cfg in (dict(stage1_cfg(), loss_distill=kd),
                la_clip_condition_cfg(path, loss_distill=kd),
                dict(la_clip_condition_cfg(path, loss_distill=kd),
                     prior_dropout=0.5)):
        model = MODELS.build(cfg)
        model.init_weights()
        x, samples = batch()
        torch.manual_seed(1)
        losses = model.loss(x, samples)
        # the terms as computed with an image-tower pass each
        torch.manual_seed(1)
        if cfg['type'] == 'LLDifStage1':
            keep = (torch.rand(4) >= model.prior_dropout).float()
            prior = model.label_prior(x, samples)
        else:
            with torch.no_grad():
                target = model.label_prior(x, samples)
            prior = model.diffusion.forward_train(
                target, model.condition_net(model.la_clip.encode_image(x)))
            keep = model.prior_keep(x)
            assert (keep is None) == (model.prior_dropout == 0)
            # with dropout, some samples of this batch lose the prior
            assert keep is None or 0 < keep.sum() < len(keep)
        feats = model.extract_feat(x, prior, prior_strength=keep)
        expected = model.head.loss(feats, samples)
        expected.update(model.distillation_loss(x, feats))
        for name in ('loss', 'loss_kd'):
            assert torch.allclose(losses[name], expected[name]), name
