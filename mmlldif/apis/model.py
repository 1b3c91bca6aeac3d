import copy
import warnings
from typing import List, Optional, Sequence, Tuple, Union

import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import DefaultScope

from mmlldif.registry import MODELS
from mmlldif.utils import (check_state_dict, checkpoint_state_dict,
                           load_checkpoint_file, register_all_modules)


def init_model(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: str = 'cpu',
               inference_only: bool = True) -> nn.Module:
    """Build a model from a config and load its trained weights.

    The checkpoint is loaded with weights-only semantics and must fit the
    model exactly (another class count or architecture is an error, not a
    warning). Its ``meta['dataset_meta']`` (class names) becomes
    ``model.dataset_meta``.

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Weights. Defaults to None: an untrained
            model, with a warning, since its predictions mean nothing.
        device (str): Defaults to ``'cpu'``.
        inference_only (bool): Accept a checkpoint without the weights that
            prediction does not use (``model.TRAINING_ONLY``: LLDif stage
            2's frozen teacher), as ``tools/model_converters/
            publish_model.py --inference-only`` writes it; those parts then
            keep their initial weights. False where they are used (the
            teacher mode of ``prior_ablation.py``). Building the model
            reads none of their weight files either way (an LA-CLIP reads
            its ``pretrained`` checkpoint in ``init_weights``, which
            training calls). Defaults to True.

    Returns:
        nn.Module: The model in eval mode.
    """
    register_all_modules(init_default_scope=False)
    if isinstance(config, str):
        cfg = Config.fromfile(config)
    else:
        cfg = copy.deepcopy(config)
    with DefaultScope.overwrite_default_scope('mmlldif'):
        model = MODELS.build(cfg.model)
    model.dataset_meta = {}
    if checkpoint is None:
        warnings.warn('init_model: no checkpoint given; the model has '
                      'random weights and its predictions mean nothing.')
    else:
        ckpt = load_checkpoint_file(checkpoint, map_location='cpu')
        state = checkpoint_state_dict(ckpt, checkpoint)
        check_state_dict(model, state, checkpoint, inference_only)
        # exactness is checked above; absent training-only parts stay as
        # they were built
        model.load_state_dict(state, strict=False)
        meta = ckpt.get('meta') or {}
        model.dataset_meta = meta.get('dataset_meta') or {}
    return model.to(device).eval()


def init_models(specs: Sequence[Tuple[str, str, str]],
                device: str = 'cpu') -> List[Tuple[str, Config, nn.Module]]:
    """``(name, config, model)`` of each ``(name, config path, checkpoint)``
    (the analysis tools' ``--model NAME CONFIG CHECKPOINT``), the model
    built and loaded by :func:`init_model`."""
    models = []
    for name, config, checkpoint in specs:
        cfg = Config.fromfile(config)
        models.append((name, cfg, init_model(cfg, checkpoint, device)))
    return models
