"""Training and testing runs: one stage, or LLDif's two.

``tools/run_lldif.py``, ``tools/test.py`` and the LL-FER2013 benchmark call
these, so that every figure comes from the same steps: train, take the
checkpoint best on val, check that it fits the model exactly, test.
"""
import copy
import time
from typing import Optional

from mmengine.config import Config

from mmlldif.utils import (CheckpointMismatchError, best_checkpoint,
                           check_state_dict, checkpoint_state_dict, launch,
                           load_checkpoint_file)


def train(cfg: Config):
    """Train ``cfg`` in its work dir, which the run owns meanwhile
    (:func:`~mmlldif.utils.launch.work_dir_lock`).

    Returns:
        Runner: The runner, after training (its message hub holds the last
            validation figures).
    """
    runner = launch.build_runner(cfg)
    with launch.work_dir_lock(cfg.work_dir):
        runner.train()
    return runner


def test_checkpoint(cfg: Config, checkpoint: str) -> dict:
    """Test ``checkpoint`` with ``cfg``'s test loader and evaluator.

    mmengine would skip weights that do not fit and test, say, a random
    head; here the checkpoint must fit the model exactly, except for the
    weights prediction does not use (``TRAINING_ONLY``, absent from an
    ``--inference-only`` release).

    Args:
        cfg (Config): The model's config.
        checkpoint (str): Its weights.

    Returns:
        dict: The evaluator's metrics.

    Raises:
        CheckpointMismatchError: The checkpoint does not fit the model, or
            it was trained on other classes or another class order than
            the test dataset's (its ``meta.dataset_meta.classes``).
    """
    cfg = copy.deepcopy(cfg)
    cfg.load_from = checkpoint
    runner = launch.build_runner(cfg)
    ckpt = load_checkpoint_file(checkpoint)
    check_classes(ckpt, cfg, checkpoint)
    state = checkpoint_state_dict(ckpt, checkpoint)
    check_state_dict(runner.model, state, checkpoint, inference_only=True)
    return runner.test()


def check_classes(ckpt: dict, cfg: Config, checkpoint: str) -> None:
    """Refuse a checkpoint whose recorded class names differ from the test
    dataset's: its outputs would be scored against other labels (a model
    of RAF-DB's class order scored 27.6 instead of 44.8 on FER2013)."""
    from mmlldif.registry import DATASETS
    trained = (ckpt.get('meta') or {}).get('dataset_meta', {}).get('classes')
    dataset_cfg = cfg.get('test_dataloader', {}).get('dataset')
    if not trained or not dataset_cfg:
        return
    tested = DATASETS.build(dict(dataset_cfg, lazy_init=True)).metainfo.get(
        'classes')
    if tested and tuple(trained) != tuple(tested):
        order = ' (the same classes in another order)' if sorted(
            trained) == sorted(tested) else ''
        raise CheckpointMismatchError(
            f'Checkpoint {checkpoint} was trained on the classes '
            f'{tuple(trained)}, the test dataset has {tuple(tested)}'
            f'{order}: its predictions would be scored against other '
            'labels.')


def test_best(cfg: Config) -> dict:
    """Test the checkpoint of ``cfg.work_dir`` best on val (the newest
    ``best_*.pth``, or the last checkpoint when none was kept), once.

    Returns:
        dict: The evaluator's metrics, and ``checkpoint``: the file tested.
    """
    checkpoint = best_checkpoint(cfg.work_dir)
    cfg = copy.deepcopy(cfg)
    cfg.experiment_name = f'test_{time.time_ns()}'
    return dict(test_checkpoint(cfg, checkpoint), checkpoint=checkpoint)


def train_two_stage(stage1: Optional[Config], stage2: Config,
                    stage1_work_dir: Optional[str] = None) -> dict:
    """LLDif: train stage 1, then stage 2 from it.

    Args:
        stage1 (Config, optional): Stage 1, trained in its work dir; None
            to reuse a finished stage 1 (``stage1_work_dir``).
        stage2 (Config): Stage 2; its ``model.stage1_checkpoint`` is set to
            stage 1's work dir (its last checkpoint is loaded).
        stage1_work_dir (str, optional): A finished stage 1, instead of
            training ``stage1``. Defaults to None.

    Returns:
        dict: ``stage1_work_dir`` and ``stage1_val_accuracy``, the last
            validation accuracy of stage 1 with its label-aware prior (None
            when reused).
    """
    if (stage1 is None) == (stage1_work_dir is None):
        raise ValueError('train_two_stage: give either a stage-1 config to '
                         'train or the work dir of a finished stage 1.')
    oracle = None
    if stage1 is not None:
        stage1_work_dir = stage1.work_dir
        scalars = train(stage1).message_hub.log_scalars
        if 'val/accuracy/top1' in scalars:
            oracle = scalars['val/accuracy/top1'].current()
    stage2.model.stage1_checkpoint = stage1_work_dir
    train(stage2)
    return dict(stage1_work_dir=stage1_work_dir, stage1_val_accuracy=oracle)
