"""Saving and loading MMEngine checkpoints safely.

Saving: local files are written to a temporary name and renamed into place,
so a run killed while it saves never leaves a truncated checkpoint (see
:class:`AtomicLocalBackend`).

Loading: ``weights_only`` semantics.

torch >= 2.6 loads with ``weights_only=True`` by default, which mmengine
0.10.7 does not expect. Rather than turning the check off, mmlldif replaces
mmengine's loader for local files with one that keeps it on and allows only
the plain-data numpy types that checkpoints hold (arrays, scalars, dtypes).
Checkpoints written by mmlldif's runs contain nothing else (see
:class:`mmlldif.engine.WeightsOnlyCheckpointHook`).

A file holding anything more (a pickled callable, a custom class) is refused
with :class:`UnsafeCheckpointError`. For files you trust, set the environment
variable ``MMLLDIF_TRUST_CHECKPOINTS=1`` to load them with full pickle.
"""
import glob
import os
import os.path as osp
import pickle
import zipfile
from typing import Optional

import numpy as np
import torch
import torch.nn as nn
from mmengine.fileio.backends import LocalBackend, register_backend
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import CheckpointLoader

TRUST_ENV = 'MMLLDIF_TRUST_CHECKPOINTS'


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds objects that weights-only loading refuses."""


class CorruptCheckpointError(RuntimeError):
    """A checkpoint file is truncated or is not a torch checkpoint."""


class CheckpointMismatchError(ValueError):
    """A checkpoint's weights do not fit the model built from a config."""


class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend whose :meth:`put` is atomic.

    The bytes go to a hidden temporary file in the same folder, are flushed
    to disk, and the file is renamed over the target (``os.replace`` is
    atomic on POSIX and Windows). A process killed mid-write leaves the
    previous file, if any, intact; the stray ``.NAME.PID.part`` file is
    overwritten by the next save of that name.
    """

    def put(self, obj: bytes, filepath) -> None:
        filepath = str(filepath)
        folder, name = osp.split(osp.abspath(filepath))
        os.makedirs(folder, exist_ok=True)
        tmp = osp.join(folder, f'.{name}.{os.getpid()}.part')
        try:
            with open(tmp, 'wb') as f:
                f.write(obj)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, filepath)
        finally:
            if osp.exists(tmp):
                os.remove(tmp)


# every local ``put`` of mmengine, checkpoints included, goes through it
register_backend('local', AtomicLocalBackend, force=True, prefixes='')


def _numpy_safe_globals() -> list:
    """Numpy globals needed to rebuild arrays and scalars, and nothing
    callable beyond their constructors."""
    dtype_classes = [
        type(np.dtype(t)) for t in (np.bool_, np.int8, np.int16, np.int32,
                                    np.int64, np.uint8, np.uint16, np.uint32,
                                    np.uint64, np.float16, np.float32,
                                    np.float64, np.str_)
    ]
    return [
        np.ndarray, np.dtype, np._core.multiarray._reconstruct,
        np._core.multiarray.scalar, *dtype_classes
    ]


def trusted() -> bool:
    """Whether the user opted in to full-pickle loading."""
    return os.environ.get(TRUST_ENV, '0').lower() in ('1', 'true', 'yes')


def last_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint a work dir's ``last_checkpoint`` file names (MMEngine's
    ``CheckpointHook`` writes it after each save); None without that file,
    '' if it is empty."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        return None
    with open(pointer) as f:
        return f.read().strip()


def best_checkpoint(work_dir: str) -> str:
    """The best-on-val checkpoint of a work dir, else its last one.

    Where several ``best_*.pth`` files are there (a work dir trained into
    again leaves the earlier run's), the most recently written one, which
    is the latest run's: never the one whose name sorts last
    (``epoch_9`` after ``epoch_10``).

    Raises:
        FileNotFoundError: The work dir holds no checkpoint.
    """
    found = glob.glob(osp.join(work_dir, 'best_*.pth'))
    if found:
        return max(found, key=osp.getmtime)
    last = last_checkpoint(work_dir)
    if not last:
        raise FileNotFoundError(
            f'{work_dir} holds no checkpoint (no best_*.pth, no '
            'last_checkpoint): did its training finish an epoch?')
    return last


def load_checkpoint_file(filename: str, map_location=None) -> dict:
    """Load a local checkpoint with ``weights_only`` semantics.

    Args:
        filename (str): Path of the checkpoint.
        map_location: Same as :func:`torch.load`. Defaults to None.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        FileNotFoundError: ``filename`` does not exist.
        CorruptCheckpointError: The file is truncated or not a checkpoint.
        UnsafeCheckpointError: The file holds objects other than tensors,
            containers, numbers, strings and numpy arrays, and
            ``MMLLDIF_TRUST_CHECKPOINTS`` is not set.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'Checkpoint file not found: {filename}')
    try:
        if trusted():
            return torch.load(
                filename, map_location=map_location, weights_only=False)
        with torch.serialization.safe_globals(_numpy_safe_globals()):
            return torch.load(
                filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as e:
        if 'Weights only load failed' not in str(e):
            raise CorruptCheckpointError(
                f'Checkpoint {filename} cannot be read: {e}') from e
        culprit = next((line.strip() for line in str(e).splitlines()
                        if 'nsupported' in line), 'a non-tensor object')
        raise UnsafeCheckpointError(
            f'Refused to load checkpoint {filename}: it holds objects that '
            f'weights-only loading does not allow ({culprit}). Only load it '
            f'if you trust its origin: set {TRUST_ENV}=1 for that run.'
        ) from None
    except (EOFError, zipfile.BadZipFile, RuntimeError) as e:
        raise CorruptCheckpointError(
            f'Checkpoint {filename} is truncated or is not a torch '
            f'checkpoint: {e}') from e


@CheckpointLoader.register_scheme(prefixes='', force=True)
def load_from_local_weights_only(filename, map_location=None):
    """mmengine's loader for local paths, with ``weights_only`` kept on."""
    return load_checkpoint_file(filename, map_location)


def check_state_dict(model: nn.Module,
                     state_dict: dict,
                     filename: str,
                     inference_only: bool = False) -> None:
    """Check that a checkpoint's state dict fits a model exactly.

    mmengine loads checkpoints non-strictly: weights of the wrong shape (a
    head for another number of classes) or of another architecture are
    skipped with a warning, and the model evaluates with random weights.
    Where a checkpoint must be the model's own (testing, inference), call
    this first.

    Args:
        model (nn.Module): The model built from the config (may be wrapped).
        state_dict (dict): The checkpoint's ``state_dict``.
        filename (str): The checkpoint's path, for the message.
        inference_only (bool): Accept a checkpoint that lacks the weights
            prediction does not use (the model's ``TRAINING_ONLY``
            submodules, e.g. LLDif stage 2's frozen teacher), as
            ``publish_model.py --inference-only`` writes it. Defaults to
            False.

    Raises:
        CheckpointMismatchError: Some weights differ in shape, or some
            are missing from the checkpoint or the model.
    """
    if is_model_wrapper(model):
        model = model.module
    own = model.state_dict()
    problems = [
        f'{k}: checkpoint {tuple(state_dict[k].shape)}, model '
        f'{tuple(v.shape)}' for k, v in own.items()
        if k in state_dict and tuple(state_dict[k].shape) != tuple(v.shape)
    ]
    training_only = getattr(model, 'TRAINING_ONLY', ())
    missing = {
        k
        for k in own.keys() - state_dict.keys()
        if not (inference_only and k.split('.', 1)[0] in training_only)
    }
    if missing and not problems and state_dict.keys() <= own.keys() and all(
            k.split('.', 1)[0] in training_only for k in missing):
        raise CheckpointMismatchError(
            f'Checkpoint {filename} holds only the weights that prediction '
            f'uses (published with --inference-only: no '
            f'{", ".join(training_only)}); this needs the full checkpoint '
            'of the training run.')
    for what, keys in (('missing from the checkpoint', missing),
                       ('not in the model', state_dict.keys() - own.keys())):
        if keys:
            keys = sorted(keys)
            problems.append(f'{len(keys)} weights {what}, e.g. '
                            f'{", ".join(keys[:3])}')
    if problems:
        raise CheckpointMismatchError(
            f'Checkpoint {filename} does not fit the model of this config '
            '(trained with another config, number of classes or '
            'architecture?):\n  ' + '\n  '.join(problems))
