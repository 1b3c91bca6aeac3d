from typing import List, Tuple

import numpy as np

from mmlldif.registry import DATASETS


def stratified_subset(dataset_cfg: dict,
                      size: int,
                      seed: int = 0) -> Tuple[List[int], int]:
    """Indices of a class-stratified random subset of a dataset, for its
    ``indices`` (the FER datasets are stored class by class, so their own
    ``indices=N`` takes the first N faces: one or two classes).

    Args:
        dataset_cfg (dict): The dataset's config, e.g.
            ``cfg.train_dataloader.dataset``.
        size (int): About this many faces; every class keeps its share
            and at least one.
        seed (int): Of the draw. Defaults to 0.

    Returns:
        tuple: The sorted indices, and the dataset's size.
    """
    if size < 1:
        raise ValueError(f'subset size {size}: must be at least 1.')
    dataset = DATASETS.build(
        dict(dataset_cfg, pipeline=[], lazy_init=False, indices=None))
    labels = dataset.get_gt_labels()
    rng = np.random.default_rng(seed)
    keep = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        n = max(1, round(size * len(idx) / len(labels)))
        keep.extend(rng.choice(idx, n, replace=False).tolist())
    return sorted(keep), len(labels)
