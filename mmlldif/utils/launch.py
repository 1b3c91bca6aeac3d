"""Helpers shared by ``tools/train.py``, ``tools/test.py`` and
``tools/run_lldif.py``: command-line overrides and CPU-friendly launching."""
import contextlib
import glob
import os
import os.path as osp
import re
import socket
import sys
import warnings
from typing import Optional

import torch
import torch.distributed as dist
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from .checkpoint import (CorruptCheckpointError, UnsafeCheckpointError,
                         last_checkpoint, load_checkpoint_file,
                         use_safe_checkpoint_io)
from .errors import InputError

DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


@contextlib.contextmanager
def errors_as_messages():
    """Within the block, an :class:`~mmlldif.utils.errors.InputError` (a
    corrupt image or checkpoint, a wrong label file, a checkpoint that
    does not fit) ends the command with ``error: <its message>`` and exit
    status 1 instead of a traceback: the message names the file or key.
    Other exceptions keep their traceback."""
    try:
        yield
    except InputError as e:
        raise SystemExit(f'error: {e}') from None


def set_data_root(cfg: Config, data_root: str) -> None:
    """Point every dataloader's dataset at ``data_root``.

    Raises:
        FileNotFoundError: ``data_root`` is not a folder.
    """
    if not osp.isdir(data_root):
        raise FileNotFoundError(f'--data-root: no folder at {data_root}')
    for name in DATALOADERS:
        loader = cfg.get(name)
        if loader and 'data_root' in loader.get('dataset', {}):
            loader.dataset.data_root = data_root


def set_dataloader_defaults(cfg: Config, pin_memory: bool = True,
                            persistent_workers: bool = True) -> None:
    """Pin memory where there is a GPU, and undo the ``num_workers=0`` +
    ``persistent_workers=True`` combination that crashes (``num_workers=0``
    given on the command line).

    The project's configs carry their loaders' settings (the dataset
    bases): the training workers started anew every epoch and seeded from
    it (``seed_worker_per_epoch``), so that every epoch draws new
    augmentations and a resumed run draws the ones of the uninterrupted
    run (the first batch of an epoch comes as fast as with persistent
    workers: about 0.2 s on FER2013 with 2 workers). A config without
    them (a user's own) gets the same here.
    """
    for name in DATALOADERS:
        loader = cfg.get(name)
        if not loader:
            continue
        loader.setdefault('pin_memory', pin_memory
                          and torch.cuda.is_available())
        loader.setdefault('collate_fn', dict(type='default_collate'))
        workers = loader.get('num_workers', 0)
        if name == 'train_dataloader':
            loader.setdefault('persistent_workers', False)
            loader.setdefault(
                'worker_init_fn', dict(type='mmlldif.seed_worker_per_epoch'))
        loader.setdefault('persistent_workers', persistent_workers
                          and workers > 0)
        if workers == 0:
            loader.persistent_workers = False


def set_work_dir(cfg: Config, config_path: str,
                 work_dir: Optional[str]) -> None:
    """CLI > config > ``./work_dirs/<config name>``."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])


def setup_distributed(cfg: Config, launcher: str) -> None:
    """Make ``--launcher pytorch`` work on CPU-only machines.

    mmengine 0.10.7 calls ``torch.cuda.set_device`` when it initialises the
    process group and wraps models with ``device_ids=[LOCAL_RANK]``; both
    fail without a GPU. On CPU, initialise the ``gloo`` group here (the
    Runner skips its own initialisation when a group exists) and wrap
    without ``device_ids``. With GPUs nothing changes.
    """
    cfg.launcher = launcher
    if launcher == 'none' or torch.cuda.is_available():
        return
    if launcher != 'pytorch':
        raise RuntimeError(f'--launcher {launcher} needs GPUs; on CPU use '
                           '--launcher pytorch (tools/dist_train.sh).')
    cfg.env_cfg.setdefault('dist_cfg', {})['backend'] = 'gloo'
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    # An explicit device_ids=None overrides the Runner's [LOCAL_RANK].
    cfg.setdefault(
        'model_wrapper_cfg',
        dict(
            type='MMDistributedDataParallel',
            device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False)))


def ensure_local_rank(local_rank: int) -> None:
    """``torch.distributed.launch`` passes ``--local-rank``; torchrun sets
    ``LOCAL_RANK``. mmengine reads the variable. A rank started by torchrun
    also ends with it (:func:`die_with_launcher`)."""
    os.environ.setdefault('LOCAL_RANK', str(local_rank))
    die_with_launcher()


def die_with_launcher() -> None:
    """Under torchrun (``tools/dist_train.sh``), have the kernel end this
    rank when the launcher dies, however it dies.

    torchrun starts each rank in a session of its own, so killing the
    launcher's process group (Ctrl-C on a terminal that is gone, a job
    scheduler's ``kill -9``) used to leave the ranks training and writing
    checkpoints with no one to stop them. Linux only; elsewhere nothing
    changes.
    """
    if 'TORCHELASTIC_RUN_ID' not in os.environ or not sys.platform.startswith(
            'linux'):
        return
    import ctypes
    import signal
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() == 1:  # the launcher died before the line above
        raise SystemExit('the torchrun launcher of this rank is gone')


def add_model_test_args(parser, out_dir: str) -> None:
    """The analysis tools' models and test split: ``--model NAME CONFIG
    CHECKPOINT`` (repeated), ``--data-root``, ``--split``,
    ``--max-images``, ``--batch-size``, ``--num-workers``, ``--out-dir``."""
    parser.add_argument(
        '--model',
        nargs=3,
        action='append',
        required=True,
        metavar=('NAME', 'CONFIG', 'CHECKPOINT'),
        help='a model to test; repeat for several')
    parser.add_argument('--data-root', help='dataset root of the test split')
    parser.add_argument('--split', default='test')
    parser.add_argument(
        '--max-images', type=int, help='every k-th image, about this many')
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--num-workers', type=int, default=2)
    parser.add_argument('--out-dir', default=out_dir)


def add_common_args(parser) -> None:
    """``--cfg-options``, ``--launcher`` and ``--local-rank``, as in
    mmpretrain's tools."""
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. train_cfg.max_epochs=10 or '
        'model.diffusion.num_inference_steps=2')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank (mim still uses it)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def merge_cfg_options(cfg: Config, options: Optional[dict]) -> None:
    """Merge ``--cfg-options`` into ``cfg``; a top-level key the config
    does not have (a misspelt or misplaced one, e.g. ``max_epochs=1`` for
    ``train_cfg.max_epochs=1``) is an error that names it, not a setting
    nothing reads.

    Raises:
        SystemExit: Some key is unknown at the top level, a loader's batch
            size is below 1, or the schedule does not fit the epochs
            (:func:`check_schedule`).
    """
    for key in options or {}:
        top = key.split('.', 1)[0]
        if top in cfg:
            continue
        nested = sorted(
            f'{name}.{top}' for name, value in cfg.items()
            if isinstance(value, dict) and top in value)
        hint = f'; did you mean {" or ".join(nested)}?' if nested else (
            ': set keys of the config, e.g. train_cfg.max_epochs=2')
        raise SystemExit(f'--cfg-options {key}: the config has no '
                         f'top-level key "{top}"{hint}')
    if options:
        cfg.merge_from_dict(options)
    check_schedule(cfg)
    for name in DATALOADERS:
        size = (cfg.get(name) or {}).get('batch_size', 1)
        if not isinstance(size, int) or size < 1:
            raise SystemExit(f'{name}.batch_size={size!r}: a batch holds at '
                             'least one image.')


def check_schedule(cfg: Config) -> None:
    """Every epoch-based parameter scheduler begins before the last epoch.

    Raises:
        SystemExit: One begins at or after ``train_cfg.max_epochs`` (the
            CPU schedule warms up for one epoch, so it needs 2), naming
            both.
    """
    epochs = (cfg.get('train_cfg') or {}).get('max_epochs')
    schedulers = cfg.get('param_scheduler') or []
    if isinstance(schedulers, dict):
        schedulers = [schedulers]
    for scheduler in schedulers if epochs is not None else ():
        if scheduler.get('by_epoch', True) and scheduler.get(
                'begin', 0) >= epochs:
            raise SystemExit(
                f'train_cfg.max_epochs={epochs}: the config\'s '
                f'{scheduler["type"]} begins at epoch '
                f'{scheduler["begin"]}, so train at least '
                f'{scheduler["begin"] + 1} epochs (the CPU schedule warms '
                'up for one epoch, then anneals).')


def check_resumable(checkpoint: str) -> None:
    """``--resume PATH`` needs a training run's checkpoint: its optimizer
    and runner state, not only weights.

    Raises:
        SystemExit: ``checkpoint`` holds weights only (a release file, a
            bare state dict), naming it and the option that starts from
            its weights instead.
    """
    ckpt = load_checkpoint_file(checkpoint, map_location='cpu')
    missing = [k for k in ('message_hub', 'optimizer') if k not in ckpt]
    if missing:
        raise SystemExit(
            f'--resume {checkpoint}: it holds no {" or ".join(missing)} '
            '(a release file or bare weights, not a training run\'s '
            'checkpoint); to start a new run from its weights use '
            f'--cfg-options load_from={checkpoint}')


def latest_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint an automatic ``--resume`` continues from.

    That is the one ``last_checkpoint`` names if it loads; if that file is
    empty, names a deleted file or one that does not load (a run killed
    while saving), the newest ``epoch_*.pth`` / ``iter_*.pth`` of the work
    dir that loads, with a warning.

    Args:
        work_dir (str): The run's work dir.

    Returns:
        str | None: A loadable checkpoint, or None if the work dir has none.
    """
    last = last_checkpoint(work_dir)
    named = [] if last is None else [last]
    found = glob.glob(osp.join(work_dir, 'epoch_*.pth')) + glob.glob(
        osp.join(work_dir, 'iter_*.pth'))
    found.sort(key=lambda p: int(re.findall(r'\d+', osp.basename(p))[-1]),
               reverse=True)
    for path in dict.fromkeys(p for p in named + found if p):
        try:
            load_checkpoint_file(path, map_location='cpu')
        except (FileNotFoundError, CorruptCheckpointError) as e:
            warnings.warn(f'--resume: skipping {path}: {e}')
            continue
        except UnsafeCheckpointError:
            pass  # intact; the runner refuses it with the opt-in's name
        if named and path != named[0]:
            warnings.warn(f'--resume: {work_dir}/last_checkpoint names '
                          f'{named[0] or "nothing"}, which does not load; '
                          f'resuming from {path}.')
        return path
    warnings.warn(f'--resume: no checkpoint in {work_dir}; starting from '
                  'scratch.')
    return None


LOCK_FILE = '.mmlldif_run.lock'


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


@contextlib.contextmanager
def work_dir_lock(work_dir: str):
    """Own ``work_dir`` for one training run: two runs in one work dir
    would mix and delete each other's checkpoints.

    The lock is a file holding the owner's host and process id. A lock of a
    live process on this host refuses the run; a lock whose process is
    gone (a crashed or killed run) is broken with a warning. In a
    distributed run only rank 0 takes it.

    Raises:
        SystemExit: Another live run owns ``work_dir``; the message names
            it and the lock file.
    """
    if os.environ.get('RANK', '0') != '0':
        yield
        return
    os.makedirs(work_dir, exist_ok=True)
    path = osp.join(work_dir, LOCK_FILE)
    me = f'{socket.gethostname()} {os.getpid()}'
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            try:
                with open(path) as f:
                    host, pid = f.read().split()
                pid = int(pid)
            except (OSError, ValueError):  # half-written: treat as stale
                host, pid = socket.gethostname(), -1
            if host != socket.gethostname() or (pid > 0 and _alive(pid)):
                raise SystemExit(
                    f'{work_dir} is in use by another training run '
                    f'(process {pid} on {host}, lock file {path}); give '
                    'this run another --work-dir, or delete the lock file '
                    'if that run is over.')
            warnings.warn(f'{work_dir}: breaking the lock of process {pid}, '
                          'which is gone (a crashed or killed run).')
            os.remove(path)
    with os.fdopen(fd, 'w') as f:
        f.write(me)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            with open(path) as f:
                mine = f.read() == me
            if mine:
                os.remove(path)


def build_runner(cfg: Config) -> Runner:
    """The default Runner, or ``cfg.runner_type`` from the registry, with
    mmlldif's checkpoint I/O (weights-only loading, atomic writes)."""
    use_safe_checkpoint_io()
    if 'runner_type' not in cfg:
        return Runner.from_cfg(cfg)
    from mmlldif.registry import RUNNERS
    return RUNNERS.build(cfg)
