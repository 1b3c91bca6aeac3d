"""Saving and loading MMEngine checkpoints safely.

Saving: local files are written to a temporary name and renamed into place,
so a run killed while it saves never leaves a truncated checkpoint (see
:class:`AtomicLocalBackend`). Both this and the loading below are switched
on by :func:`use_safe_checkpoint_io`, not by importing the package.

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
import hashlib
import os
import os.path as osp
import pickle
import re
import zipfile
from typing import Optional, Sequence, Set

import numpy as np
import torch
import torch.nn as nn
from mmengine.fileio.backends import LocalBackend, register_backend
from mmengine.logging import MMLogger
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import CheckpointLoader

from .errors import InputError

TRUST_ENV = 'MMLLDIF_TRUST_CHECKPOINTS'


class UnsafeCheckpointError(InputError, pickle.UnpicklingError):
    """A checkpoint holds objects that weights-only loading refuses."""


class CorruptCheckpointError(InputError, RuntimeError):
    """A checkpoint file is truncated or is not a torch checkpoint."""


class CheckpointMismatchError(InputError, ValueError):
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


def _pickle_globals(data: bytes, limit: int = 5) -> list:
    """The ``module.name`` globals a pickle would import, read from its
    opcodes without running it (nothing is unpickled)."""
    import pickletools
    names, pushed, memo = [], [], {}
    try:
        for op, arg, _ in pickletools.genops(data):
            if op.name == 'GLOBAL':
                names.append(arg.replace(' ', '.'))
            elif op.name == 'STACK_GLOBAL' and len(pushed) >= 2:
                names.append(f'{pushed[-2]}.{pushed[-1]}')
            elif op.name == 'MEMOIZE':  # stores the top, pushes nothing
                memo[len(memo)] = pushed[-1] if pushed else None
                continue
            elif op.name in ('GET', 'BINGET', 'LONG_BINGET'):
                pushed.append(memo.get(arg))
                continue
            pushed.append(arg if isinstance(arg, str) else None)
    except Exception:  # a damaged pickle: report what was read
        pass
    return sorted(set(names))[:limit]


def _sniff(filename: str) -> None:
    """Refuse, naming the real cause, a file that is not a torch
    checkpoint at all: neither torch's zip format nor its legacy pickle."""
    with open(filename, 'rb') as f:
        head = f.read(64)
    if zipfile.is_zipfile(filename):
        _check_inflation(filename)
        return
    if not head:
        raise CorruptCheckpointError(f'Checkpoint {filename} is empty.')
    if head[:1] != b'\x80':  # not a pickle (protocol 2+)
        raise CorruptCheckpointError(
            f'{filename} is not a torch checkpoint: it is neither a zip '
            'archive (torch.save) nor a pickle. Is it the right file?')
    if _LEGACY_MAGIC not in head:
        with open(filename, 'rb') as f:
            names = _pickle_globals(f.read())
        holds = (f'objects of {", ".join(names)}'
                 if names else 'plain Python data only')
        raise CorruptCheckpointError(
            f'{filename} is a plain pickle, not a torch checkpoint (it holds '
            f'{holds}; torch.save writes a zip archive). Save the weights '
            'with torch.save(model.state_dict(), path), or train with '
            'tools/train.py.')


#: compressed zip entries may inflate at most this much: torch.save stores
#: tensors uncompressed, so a checkpoint that inflates more is a zip bomb
MAX_INFLATION = 100


def _check_inflation(filename: str) -> None:
    """Refuse a zip checkpoint whose compressed entries would inflate many
    times over before anything is checked (a 1.5 MB file that torch would
    inflate to 2.2 GB)."""
    with zipfile.ZipFile(filename) as archive:
        infos = archive.infolist()
    packed = sum(i.compress_size for i in infos
                 if i.compress_type != zipfile.ZIP_STORED)
    inflated = sum(i.file_size for i in infos
                   if i.compress_type != zipfile.ZIP_STORED)
    if inflated > MAX_INFLATION * max(packed, 1) and inflated > 2**20:
        raise CorruptCheckpointError(
            f'{filename} is not a torch checkpoint: its compressed entries '
            f'inflate from {packed} to {inflated} bytes (torch.save stores '
            'tensors uncompressed); refused before reading it.')


# torch's legacy (non-zip) format starts with this pickled magic number
_LEGACY_MAGIC = pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2)[2:-1]


class ReleaseFileError(CorruptCheckpointError):
    """A release file is missing or is not the file its name promises."""


def sha256(path: str) -> str:
    """The SHA-256 of a file, as hex digits."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def verify_release_file(path: str) -> str:
    """Check that a release file exists and, where its name ends in
    ``-<8 hex digits>.pth`` (``publish_model.py`` names it so), that they
    are the start of its SHA-256.

    Returns:
        str: ``path``.

    Raises:
        ReleaseFileError: The file is missing or its hash does not match
            (a truncated download, a flipped bit, a file replaced by
            another).
    """
    if not osp.isfile(path):
        raise ReleaseFileError(f'release file not found: {path}')
    match = re.search(r'-([0-9a-f]{8})\.pth$', osp.basename(path))
    if match:
        sha = sha256(path)
        if not sha.startswith(match.group(1)):
            raise ReleaseFileError(
                f'{path}: its SHA-256 starts with {sha[:8]}, not '
                f'{match.group(1)} as its release name says; the file is '
                'corrupt or not the released one (a file of your own '
                'needs another name).')
    return path


def load_checkpoint_file(filename: str, map_location=None) -> dict:
    """Load a local checkpoint with ``weights_only`` semantics.

    Args:
        filename (str): Path of the checkpoint.
        map_location: Same as :func:`torch.load`. Defaults to None.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        FileNotFoundError: ``filename`` does not exist.
        CorruptCheckpointError: The file is empty, truncated, not a torch
            checkpoint (a text file, a plain pickle: the message says which
            and what the pickle holds), or a release file whose content is
            not what its name's SHA-256 says (:func:`verify_release_file`).
        UnsafeCheckpointError: The torch checkpoint holds objects other than
            tensors, containers, numbers, strings and numpy arrays, and
            ``MMLLDIF_TRUST_CHECKPOINTS`` is not set.
    """
    filename = osp.expanduser(str(filename))
    if not osp.isfile(filename):
        raise FileNotFoundError(f'Checkpoint file not found: {filename}')
    _sniff(filename)
    verify_release_file(filename)
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
    except (EOFError, zipfile.BadZipFile, RuntimeError, KeyError) as e:
        raise CorruptCheckpointError(
            f'Checkpoint {filename} is truncated or is not a torch '
            f'checkpoint: {e!r}') from e


def checkpoint_state_dict(checkpoint, filename: str) -> dict:
    """The weights of a loaded checkpoint.

    Args:
        checkpoint: What :func:`load_checkpoint_file` returned: an MMEngine
            checkpoint (weights under ``'state_dict'``) or a bare state dict
            (``torch.save(model.state_dict(), path)``).
        filename (str): Its path, for the message.

    Raises:
        CorruptCheckpointError: It holds neither.
    """
    if isinstance(checkpoint, dict) and isinstance(
            checkpoint.get('state_dict'), dict):
        return checkpoint['state_dict']
    if isinstance(checkpoint, dict) and checkpoint and all(
            isinstance(v, torch.Tensor) for v in checkpoint.values()):
        return checkpoint
    found = (f'a dict with keys {sorted(map(str, checkpoint))[:5]}'
             if isinstance(checkpoint, dict) else type(checkpoint).__name__)
    raise CorruptCheckpointError(
        f'{filename} holds no model weights: expected an MMEngine checkpoint '
        '(a dict with "state_dict") or a state dict of tensors, found '
        f'{found}.')


def load_submodules(model: nn.Module,
                    path: str,
                    parts: Sequence[str],
                    key: str,
                    optional: Set[str] = frozenset(),
                    error: type = CheckpointMismatchError) -> None:
    """Load the weights of some top-level submodules of ``model`` from a
    checkpoint, e.g. LLDif stage 2's teacher from a stage-1 file.

    Args:
        model (nn.Module): The model to load into.
        path (str): Checkpoint file, or a work dir (its last checkpoint).
        parts (Sequence[str]): Top-level submodules, e.g. ``('head', )``.
        key (str): Config key of ``path``, for error messages.
        optional (Set[str]): Weights the file may lack; those it lacks are
            set to zero.
        error (type): The exception class raised. Defaults to
            :class:`CheckpointMismatchError`.

    Raises:
        error: The file or work dir is missing, or the file lacks weights
            the model needs or has them in other shapes (another
            architecture, prior length or class count).
    """
    if osp.isdir(path):
        last = last_checkpoint(path)
        if not last:
            raise error(f'{key}: {path} is a folder without a '
                        '"last_checkpoint" file; has its training finished '
                        'an epoch?')
        path = last
    try:
        ckpt = load_checkpoint_file(path, map_location='cpu')
    except FileNotFoundError:
        raise error(f'{key}: file not found: {path}') from None
    state = ckpt.get('state_dict', ckpt)
    own = {
        k: v
        for k, v in model.state_dict().items()
        if k.split('.', 1)[0] in parts
    }
    absent = {k for k in own if k not in state}
    missing = sorted(absent - optional)
    mismatched = sorted(f'{k}: {tuple(state[k].shape)} vs {tuple(v.shape)}'
                        for k, v in own.items()
                        if k in state and state[k].shape != v.shape)
    if missing or mismatched:
        raise error(f'{key} {path} does not fit this model ({len(missing)} '
                    f'weights missing, e.g. {missing[:3]}; {len(mismatched)} '
                    f'of another shape, e.g. {mismatched[:3]}). Was it '
                    'trained with the same backbone arch, prior_dim, LA-CLIP '
                    'and number of classes?')
    state = {k: state[k] for k in own if k in state}
    state.update({k: torch.zeros_like(own[k]) for k in absent})
    model.load_state_dict(state, strict=False)
    MMLogger.get_current_instance().info(
        f'Loaded {len(own) - len(absent)} weights of {", ".join(parts)} from '
        f'{path}' + (f'; {len(absent)} absent there set to zero.'
                     if absent else '.'))


def load_from_local_weights_only(filename, map_location=None):
    """mmengine's loader for local paths, with ``weights_only`` kept on."""
    return load_checkpoint_file(filename, map_location)


def use_safe_checkpoint_io() -> None:
    """Switch on mmlldif's checkpoint I/O in this process: local files are
    loaded by :func:`load_from_local_weights_only` (``Runner.load_checkpoint``,
    ``load_from``, ``--resume`` and ``init_cfg`` pretrained weights all go
    through it) and written by :class:`AtomicLocalBackend`.

    ``import mmlldif`` changes neither. :func:`register_all_modules`, the
    tools and :class:`~mmlldif.engine.WeightsOnlyCheckpointHook` (in every
    config's ``custom_hooks``, built with the Runner before it loads or
    saves anything) call it; calling it again is harmless.
    """
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local_weights_only, force=True)
    register_backend('local', AtomicLocalBackend, force=True, prefixes='')


def is_training_only(key: str, training_only: Sequence[str]) -> bool:
    """Whether the weight ``key`` lies in one of the submodules
    ``training_only`` (a model's ``TRAINING_ONLY``: dotted prefixes such as
    ``'prior_net'`` or ``'la_clip.clip.transformer'``)."""
    return any(key == p or key.startswith(p + '.') for p in training_only)


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
        if not (inference_only and is_training_only(k, training_only))
    }
    if missing and not problems and state_dict.keys() <= own.keys() and all(
            is_training_only(k, training_only) for k in missing):
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
