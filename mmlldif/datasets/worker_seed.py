import random

import numpy as np
import torch
from mmengine.dist import get_rank

from mmlldif.registry import FUNCTIONS


@FUNCTIONS.register_module()
def seed_worker_per_epoch(worker_id: int) -> None:
    """Seed a dataloader worker from the epoch it loads, not only from its
    index.

    MMEngine's default ``worker_init_fn`` seeds every worker from the config
    seed and its index alone: workers that are started anew every epoch
    (``persistent_workers=False``) then draw the same augmentation and
    low-light noise in every epoch, and persistent workers draw numbers a
    run resumed from a checkpoint cannot repeat. This one seeds NumPy,
    ``random`` and torch from ``torch.initial_seed()``, which PyTorch gives
    each worker as a base seed drawn from the main process's generator
    when the epoch's iterator is made, plus the worker index; the rank is
    mixed in so processes do not share draws. With
    :class:`mmlldif.engine.EpochSeedHook` reseeding the main process at the
    start of every epoch and workers started per epoch, each epoch draws
    new numbers and a resumed run draws the same ones as an uninterrupted
    run.

    Args:
        worker_id (int): Index of the worker (unused; in the base seed).
    """
    seed = (torch.initial_seed() + 1_000_003 * get_rank()) % 2**32
    np.random.seed(seed)
    random.seed(seed)
    torch.manual_seed(seed)
