"""The model zoo: the models of ``model-index.yml`` by name.

The same names work here (:func:`list_models`, :func:`get_model`,
``LLDifInferencer(name)``) and in mmpretrain (``mmpretrain.get_model``,
``mmpretrain.ImageClassificationInferencer``), where the released ones are
served with the inference configs of ``configs/inference/`` (no darkening
of the test faces): :func:`register_model_index`, when ``mmlldif`` is
imported.

Release weights live in the repository (``checkpoints/``, copied into
``mmlldif/.mim`` by an install); their file names end in the first 8 hex
digits of their SHA-256, which is checked before a file is loaded.
"""
import fnmatch
import functools
import os
import os.path as osp
from typing import Dict, List, Union

import torch
import torch.nn as nn
from mmengine.config import Config
from modelindex.load_model_index import load
from modelindex.models.Model import Model

from mmlldif.utils.checkpoint import (ReleaseFileError, sha256,
                                      verify_release_file)

PACKAGE = osp.dirname(osp.dirname(osp.abspath(__file__)))
# a wheel's copies, or a source tree's own files one level above
ROOTS = (osp.join(PACKAGE, '.mim'), osp.dirname(PACKAGE))


def zoo_root() -> str:
    """The folder that holds ``model-index.yml``, ``configs/`` and
    ``checkpoints/``: ``mmlldif/.mim`` of an install, or the source tree."""
    for root in ROOTS:
        if osp.isfile(osp.join(root, 'model-index.yml')):
            return root
    raise FileNotFoundError(
        'mmlldif: model-index.yml not found in ' + ' or '.join(ROOTS) +
        '; reinstall mmlldif (pip install -e . or mim install .).')


@functools.lru_cache()
def model_index() -> Dict[str, Model]:
    """name (lower case) -> model-index entry, config and weights as
    absolute paths (weights None where none are released)."""
    root = zoo_root()
    index = load(osp.join(root, 'model-index.yml'))
    index.build_models_with_collections()
    models = {}
    for model in index.models:
        model = model.full_model
        model.config = osp.join(root, model.config)
        if model.weights:
            model.weights = osp.join(root, model.weights)
        models[model.name.lower()] = model
    return models


def list_models(pattern: str = '*', with_weights: bool = False) -> List[str]:
    """Names of the zoo's models.

    Args:
        pattern (str): A wildcard pattern, e.g. ``'lldif*'``.
            Defaults to ``'*'``.
        with_weights (bool): Only those whose weights ship with mmlldif.
            Defaults to False.

    Returns:
        list[str]: Sorted names.
    """
    return sorted(
        name for name, model in model_index().items()
        if fnmatch.fnmatch(name, pattern.lower()) and (
            not with_weights or model.weights))


def find_model(name: str):
    """The model-index entry of ``name``.

    Raises:
        ValueError: An unknown name; the message lists the known ones.
    """
    model = model_index().get(name.lower())
    if model is None:
        raise ValueError(f'mmlldif: unknown model "{name}"; known models: '
                         f'{", ".join(list_models())}.')
    return model


def publish_checkpoint(in_file: str,
                       out_file: str,
                       inference_only: bool = False) -> str:
    """Write the release file of a trained checkpoint.

    Keeps the weights and the meta (class names, the training config),
    drops the optimizer and runner state, and names the file after its
    SHA-256 as OpenMMLab model zoos do: ``out_file`` ``NAME.pth`` becomes
    ``NAME-<sha256[:8]>.pth``.

    Args:
        in_file (str): A checkpoint saved by an mmengine Runner.
        out_file (str): Output name.
        inference_only (bool): Also drop the weights that prediction does
            not use (``TRAINING_ONLY`` of the model class: LLDif stage 2's
            frozen teacher, a distilled classifier's teacher).
            Defaults to False.

    Returns:
        str: The path written.
    """
    from mmlldif.registry import MODELS
    from mmlldif.utils import (checkpoint_state_dict, load_checkpoint_file,
                               register_all_modules)
    from mmlldif.utils.checkpoint import is_training_only
    ckpt = load_checkpoint_file(in_file, map_location='cpu')
    state = checkpoint_state_dict(ckpt, in_file)
    meta = dict(ckpt.get('meta') or {}) if state is not ckpt else {}
    if inference_only:
        if 'cfg' not in meta:
            raise ValueError(
                f'{in_file}: its meta holds no training config, so the '
                'model class is unknown; --inference-only needs a '
                'checkpoint saved by an mmengine Runner.')
        register_all_modules(init_default_scope=False)
        # what is dropped can depend on the config (LLDif stage 2's
        # condition): ask the model built from it
        model = MODELS.build(Config.fromstring(meta['cfg'], '.py').model)
        dropped = getattr(model, 'TRAINING_ONLY', ())
        state = {
            k: v
            for k, v in state.items() if not is_training_only(k, dropped)
        }
        meta['inference_only'] = list(dropped)
    stem = out_file[:-len('.pth')] if out_file.endswith('.pth') else out_file
    part = f'{stem}.pth.part'
    os.makedirs(osp.dirname(osp.abspath(part)), exist_ok=True)
    torch.save(dict(meta=meta, state_dict=state), part)
    final = f'{stem}-{sha256(part)[:8]}.pth'
    os.replace(part, final)
    return final


def is_model_name(model) -> bool:
    """Whether ``model`` names a zoo model rather than a config."""
    return isinstance(model, str) and not model.endswith('.py')


def resolve(model: Union[str, Config],
            pretrained: Union[bool, str] = False) -> tuple:
    """(config, checkpoint or None) of a model name, config file or Config.

    Args:
        model (str | Config): A zoo name, a config file or a Config.
        pretrained (bool | str): True: the zoo's release weights of the
            name; a str: that checkpoint; False: none. Defaults to False.
    """
    if not is_model_name(model):
        if pretrained is True:
            raise ValueError('pretrained=True needs a model name of the zoo '
                             '(mmlldif.apis.list_models()); give a config '
                             'with pretrained=CHECKPOINT instead.')
        return model, pretrained or None
    entry = find_model(model)
    if pretrained is True:
        if not entry.weights:
            raise ReleaseFileError(
                f'mmlldif: no weights are released for "{entry.name}"; '
                'models with weights: '
                f'{", ".join(list_models(with_weights=True)) or "none"}. '
                'Train it (docs/results.md) and pass pretrained=CHECKPOINT.')
        pretrained = verify_release_file(entry.weights)
    return entry.config, pretrained or None


def get_model(model: Union[str, Config],
              pretrained: Union[bool, str] = False,
              device: str = 'cpu') -> nn.Module:
    """Build a model of the zoo by name (or from a config), in eval mode.

    Args:
        model (str | Config): A name of :func:`list_models`, a config file
            or a Config.
        pretrained (bool | str): True loads the released weights of a name
            (checked against their SHA-256), a str loads that checkpoint.
            Defaults to False (random weights, with a warning).
        device (str): Defaults to ``'cpu'``.

    Examples:
        >>> from mmlldif.apis import get_model, list_models
        >>> list_models(with_weights=True)
        ['lldif_stage2_ll-fer2013_cpu',
         'llformer_kd-laclip-e16_ll-fer2013_cpu',
         'llformer_kd-laclip-e8_ll-fer2013_cpu', 'llformer_ll-fer2013_cpu']
        >>> model = get_model('llformer_ll-fer2013_cpu', pretrained=True)
        >>> model.dataset_meta['classes'][3]
        'happy'
    """
    from .model import init_model
    config, checkpoint = resolve(model, pretrained)
    return init_model(config, checkpoint, device)


RELEASE_SCHEME = 'mmlldif://'


def load_from_release(filename: str, map_location=None) -> dict:
    """mmengine's checkpoint loader of ``mmlldif://NAME``: the release file
    ``checkpoints/NAME`` of the installed zoo, checked against its SHA-256
    and loaded weights-only (:func:`~mmlldif.utils.load_checkpoint_file`).
    Named as mmengine's loaders are: its log says "by release backend".
    """
    from mmlldif.utils import load_checkpoint_file
    path = osp.join(zoo_root(), 'checkpoints',
                    filename[len(RELEASE_SCHEME):])
    return load_checkpoint_file(verify_release_file(path), map_location)


def register_model_index() -> None:
    """Serve the released models in mmpretrain (once): register
    ``configs/inference/model-index.yml`` with mmpretrain's public
    ``ModelHub.register_model_index`` and the ``mmlldif://`` scheme of its
    weights with mmengine's ``CheckpointLoader``, so that
    ``mmpretrain.get_model(name, pretrained=True)`` and
    ``mmpretrain.ImageClassificationInferencer(name)`` find them.

    Nothing else of mmpretrain or mmengine changes: their other models,
    and checkpoints of every other scheme, load as they did.
    """
    from mmengine.runner import CheckpointLoader
    from mmpretrain.apis import ModelHub
    CheckpointLoader.register_scheme(
        prefixes=RELEASE_SCHEME, loader=load_from_release, force=True)
    index = osp.join(zoo_root(), 'configs', 'inference', 'model-index.yml')
    if not any(ModelHub.has(name) for name in list_models(with_weights=True)):
        ModelHub.register_model_index(index)
