import os.path as osp

from mmengine.config import Config
from mmengine.optim import DefaultOptimWrapperConstructor

from fixtures import REPO
from mmlldif.engine import TrainableOptimWrapperConstructor
from mmlldif.registry import MODELS


def test_frozen_parts_are_left_out_silently_and_groups_unchanged(
        monkeypatch):
    from mmengine.optim.optimizer import default_constructor
    logged = []
    monkeypatch.setattr(default_constructor, 'print_log',
                        lambda msg, *args, **kwargs: logged.append(msg))
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/lldif/lldif_stage2_ll-fer2013_cpu.py'))
    model = MODELS.build(cfg.model)
    wrapper = dict(
        type='OptimWrapper',
        optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05))
    paramwise = dict(norm_decay_mult=0.0, bias_decay_mult=0.0)
    default = DefaultOptimWrapperConstructor(wrapper, paramwise)(model)
    assert any('requires_grad=False' in m for m in logged)
    logged.clear()
    ours = TrainableOptimWrapperConstructor(wrapper, paramwise)(model)
    assert not any('requires_grad=False' in m for m in logged)

    def groups(optim_wrapper):
        return [(tuple(id(p) for p in g['params']), g['weight_decay'])
                for g in optim_wrapper.optimizer.param_groups]

    assert groups(ours) == groups(default)
    frozen = {id(p) for p in model.la_clip.parameters()}
    assert not any(
        id(p) in frozen for g in ours.optimizer.param_groups
        for p in g['params'])
