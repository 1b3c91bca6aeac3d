"""Every config in configs/ builds its model and dataset and predicts."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import default_collate

from fixtures import DATASET_FIXTURES, REPO
from mmlldif.registry import DATASETS, MODELS
from mmlldif.utils.launch import set_data_root

CONFIGS = sorted(
    glob.glob(osp.join(REPO, 'configs', 'lldif', '*.py')) +
    glob.glob(osp.join(REPO, 'configs', 'lldif', 'ablations', '*.py')) +
    glob.glob(osp.join(REPO, 'configs', 'baselines', '*.py')) +
    glob.glob(osp.join(REPO, 'configs', 'laclip', '*.py')))
LACLIP_PRETRAIN = osp.join(REPO, 'configs', 'laclip', 'laclip_fer2013_cpu.py')


def test_every_dataset_and_stage_has_configs():
    names = {osp.basename(p) for p in CONFIGS}
    for data in ('rafdb', 'ferplus', 'kdef', 'affectnet', 'fer2013'):
        assert {f'stage1_{data}.py', f'stage2_{data}.py'} <= names
    assert {'lldif_stage1_ll-fer2013_cpu.py',
            'lldif_stage2_ll-fer2013_cpu.py'} <= names


def test_a_stage2_config_is_its_stage1_plus_the_prior_diffusion():
    """Every stage-2 CPU config inherits its stage-1 config and adds only
    the stage-2 part: the model's type, condition network, diffusion head,
    prior loss and stage-1 checkpoint (or changes one of them)."""
    stage2_keys = {'type', 'condition_net', 'diffusion', 'loss_prior',
                   'stage1_checkpoint'}
    pairs = [('lldif_stage1_ll-fer2013_cpu.py',
              'lldif_stage2_ll-fer2013_cpu.py'),
             ('lldif_stage1_ll-ferplus_cpu.py',
              'lldif_stage2_ll-ferplus_cpu.py'),
             ('lldif_stage1_ll-v2-train_ll-fer2013_cpu.py',
              'lldif_stage2_ll-v2-train_ll-fer2013_cpu.py'),
             ('ablations/stage1_fer2013_cpu.py',
              'ablations/stage2_fer2013_cpu.py'),
             ('ablations/stage1_privileged_fer2013_cpu.py',
              'ablations/stage2_privileged_fer2013_cpu.py')]
    root = osp.join(REPO, 'configs', 'lldif')
    for one, two in pairs:
        stage1 = Config.fromfile(osp.join(root, one))
        stage2 = Config.fromfile(osp.join(root, two))
        assert stage2.model.type == 'LLDifStage2', two
        for key in set(stage1.model) | set(stage2.model):
            if key not in stage2_keys:
                assert stage2.model.get(key) == stage1.model.get(key), (
                    two, key)
        for key in set(stage1) - {'model', 'work_dir'}:
            assert stage2[key] == stage1[key], (two, key)


def _base_depth(path):
    """The longest chain of ``_base_`` files below ``path``."""
    bases = Config._get_base_files(path)
    return max((1 + _base_depth(osp.join(osp.dirname(path), base))
                for base in bases), default=0)


def test_the_shipped_pairs_are_at_most_three_bases_deep():
    """A newcomer reads a shipped config and at most three files below it."""
    root = osp.join(REPO, 'configs')
    for name in ('lldif/lldif_stage1_ll-fer2013_cpu.py',
                 'lldif/lldif_stage2_ll-fer2013_cpu.py',
                 'lldif/lldif_stage2_ll-ferplus_cpu.py',
                 'baselines/llformer_kd-laclip-e16_ll-fer2013_cpu.py',
                 'baselines/llformer_kd-laclip-e8_ll-fer2013_cpu.py'):
        assert _base_depth(osp.join(root, name)) <= 3, name


def test_every_config_carries_its_loaders_seeding():
    """A Runner built from a config alone runs as tools/train.py does: the
    training workers' per-epoch seeding and the loaders' collate function
    are in the config (the dataset bases), not added by the tools."""
    for path in CONFIGS:
        cfg = Config.fromfile(path)
        train = cfg.get('train_dataloader')
        if not train:
            continue
        assert train.worker_init_fn == dict(
            type='mmlldif.seed_worker_per_epoch'), path
        assert train.persistent_workers is False, path
        for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            assert cfg[name].collate_fn == dict(type='default_collate'), (
                path, name)


def test_two_phase_stage2_first_trains_the_prior_path_only():
    """DiffIR's phase 1: a step moves the condition network and the
    diffusion head, not the backbone or the head."""
    from mmengine.optim import build_optim_wrapper
    from mmpretrain.structures import DataSample
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'lldif', 'ablations',
                 'lldif_stage2_laclip-cond_prior-phase_ll-fer2013_cpu.py'))
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    torch.manual_seed(0)
    samples = [DataSample().set_gt_label(i % 7) for i in range(4)]
    losses = model.loss(torch.rand(4, 3, 48, 48), samples)
    loss, _ = model.parse_losses(losses)
    wrapper.update_params(loss)
    moved = {
        k.split('.')[0]
        for k, v in model.state_dict().items()
        if v.dtype.is_floating_point and not torch.equal(v, before[k])
        and 'running_' not in k
    }
    assert moved == {'condition_net', 'diffusion'}


@pytest.fixture(scope='module')
def data_roots(tmp_path_factory):
    base = tmp_path_factory.mktemp('data')
    return {
        name: make(str(base / name))
        for name, make in DATASET_FIXTURES.items()
    }


@pytest.fixture(scope='module')
def pretrained_laclip(tmp_path_factory):
    """A checkpoint of the stage-0 LA-CLIP config's model (untrained), as
    configs that load the pretrained LA-CLIP expect it."""
    cfg = Config.fromfile(LACLIP_PRETRAIN)
    path = str(tmp_path_factory.mktemp('laclip') / 'best_epoch_1.pth')
    torch.save(
        dict(
            state_dict=MODELS.build(cfg.model).state_dict(),
            meta=dict(dataset_meta=dict(classes=cfg.class_names))), path)
    return path


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.basename(p) for p in CONFIGS])
def test_config_builds_and_predicts(path, data_roots, pretrained_laclip):
    cfg = Config.fromfile(path)
    dataset_type = cfg.test_dataloader.dataset.type
    set_data_root(cfg, data_roots[dataset_type])
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    assert len(dataset) > 0
    train_set = DATASETS.build(cfg.train_dataloader.dataset)
    num_classes = len(dataset.metainfo['classes'])
    if 'head' in cfg.model:
        assert cfg.model.head.num_classes == num_classes
    for key in ('la_clip', 'teacher'):
        if key in cfg.model:
            assert tuple(cfg.model[key].class_names) == tuple(
                dataset.metainfo['classes'])
            if cfg.model[key].get('pretrained'):
                cfg.model[key].pretrained = pretrained_laclip

    model = MODELS.build(cfg.model).eval()
    batch = default_collate([dataset[0], train_set[0]])
    with torch.no_grad():
        data = model.data_preprocessor(batch, False)
        preds = model(**data, mode='predict')
    assert preds[0].pred_score.shape == (num_classes, )


def test_model_index_lists_existing_configs_and_measured_results():
    """model-index.yml, as mim reads it (``modelindex.load``)."""
    modelindex = pytest.importorskip('modelindex')
    index = modelindex.load(osp.join(REPO, 'model-index.yml'))
    assert len(index.models) >= 4
    for model in index.models:
        assert osp.isfile(osp.join(REPO, model.config)), model.config
        for result in model.results:
            accuracy = result.metrics['Top 1 Accuracy']
            assert 0 < float(accuracy) <= 100
        # no download address that does not exist: local paths only
        assert not str(model.weights or '').startswith('http')
