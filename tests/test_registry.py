import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

import mmlldif.registry as reg
from mmlldif.utils import register_all_modules


def test_registries_are_children_of_mmpretrain():
    import mmengine.registry as root
    import mmpretrain.registry as pre
    for name in reg.__all__:
        node = getattr(reg, name)
        assert node.scope == 'mmlldif', name
        # mmpretrain has no FUNCTIONS node: that one hangs below mmengine's
        parent = root.FUNCTIONS if name == 'FUNCTIONS' else getattr(pre, name)
        assert node.parent is parent, name


def test_worker_seeding_resolves_as_the_runner_looks_it_up():
    from mmengine.registry import FUNCTIONS
    from mmlldif.datasets import seed_worker_per_epoch
    register_all_modules()
    assert FUNCTIONS.get('mmlldif.seed_worker_per_epoch') is (
        seed_worker_per_epoch)


def test_unprefixed_mmpretrain_names_resolve_in_mmlldif_scope():
    register_all_modules()
    for name in ('ImageClassifier', 'LinearClsHead', 'LLformer',
                 'LLDifStage2'):
        assert reg.MODELS.get(name) is not None, name
    assert reg.TRANSFORMS.get('PackInputs') is not None
    assert reg.TRANSFORMS.get('LowLight') is not None
    assert reg.METRICS.get('Accuracy') is not None
    assert reg.DATASETS.get('FER2013') is not None


def test_mmlldif_component_from_mmpretrain_scope(tmp_path):
    from mmpretrain.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = MODELS.build(
            dict(
                type='ImageClassifier',
                backbone=dict(type='mmlldif.LLformer', prior_dim=None),
                neck=dict(type='GlobalAveragePooling'),
                head=dict(
                    type='LinearClsHead', num_classes=3, in_channels=64)))
    assert type(model.backbone).__name__ == 'LLformer'
    assert model(torch.rand(1, 3, 16, 16)).shape == (1, 3)


def test_mmpretrain_config_with_custom_imports(tmp_path):
    cfg_file = tmp_path / 'cfg.py'
    cfg_file.write_text(
        "custom_imports = dict(imports=['mmlldif.models'])\n"
        "model = dict(type='ImageClassifier', backbone=dict(\n"
        "    type='mmlldif.LLformer', arch='tiny', prior_dim=None))\n")
    cfg = Config.fromfile(str(cfg_file))
    # as mmpretrain's tools build it: its own registry, its default scope
    from mmengine.registry import DefaultScope
    from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS

    from mmlldif.models import LLformer
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        model = MMPRETRAIN_MODELS.build(cfg.model)
    assert isinstance(model.backbone, LLformer)
    assert model.backbone(torch.rand(1, 3, 16, 16))[-1].shape[1] == 64
