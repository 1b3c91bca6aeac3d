"""Test loaders of a config's dataset, for the analysis tools."""
from typing import Optional

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from torch.utils.data import DataLoader, Subset

from mmlldif.datasets.transforms import without_low_light
from mmlldif.registry import DATASETS


def corrupted_pipeline(test_pipeline: list,
                       low_light: Optional[dict]) -> list:
    """A test pipeline whose ``LowLight`` step is ``low_light`` (a
    ``LowLight`` config; None removes the step), right after loading."""
    steps = without_low_light(test_pipeline)
    if low_light is not None:
        steps.insert(1, dict(low_light))
    return steps


def darkened_pipeline(test_pipeline: list,
                      level: str,
                      protocol: str = 'll-v1') -> list:
    """A test pipeline with ``LowLight`` of ``protocol`` fixed at one
    darkness ``level`` (``'normal'`` removes it), right after loading.

    Every image is darkened by exactly that factor; the protocol's other
    parameters, noise included, are drawn per image with its fixed seed, so
    every model of one protocol sees the same images.
    """
    if level == 'normal':
        return corrupted_pipeline(test_pipeline, None)
    darkness = float(level)
    if not 0 < darkness <= 1:
        raise ValueError(f'darkness {level}: levels are in (0, 1] or '
                         '"normal".')
    return corrupted_pipeline(
        test_pipeline,
        dict(
            type='LowLight',
            protocol=protocol,
            deterministic=True,
            darkness=(darkness, darkness)))


def build_test_loader(cfg: Config,
                      split: str = 'test',
                      data_root: Optional[str] = None,
                      pipeline: Optional[list] = None,
                      batch_size: int = 128,
                      num_workers: int = 2,
                      max_images: Optional[int] = None,
                      shuffle_seed: Optional[int] = None) -> DataLoader:
    """A loader of ``split`` of the config's test dataset.

    Args:
        cfg (Config): A model config with a ``test_dataloader``.
        split (str): Defaults to ``'test'``.
        data_root (str, optional): Instead of the config's. Defaults to None.
        pipeline (list, optional): Instead of the config's test pipeline.
            Defaults to None.
        batch_size (int): Defaults to 128.
        num_workers (int): Defaults to 2.
        max_images (int, optional): Every k-th image, about this many.
            Defaults to None (all).
        shuffle_seed (int, optional): Shuffle with this seed, so that a
            batch mixes classes (the splits are stored sorted by class).
            Defaults to None (in order).
    """
    dataset_cfg = dict(cfg.test_dataloader.dataset, split=split)
    if data_root:
        dataset_cfg['data_root'] = data_root
    if pipeline is not None:
        dataset_cfg['pipeline'] = pipeline
    dataset = DATASETS.build(dataset_cfg)
    if max_images and len(dataset) > max_images:
        dataset = Subset(dataset,
                         range(0, len(dataset), len(dataset) // max_images))
    generator = None
    if shuffle_seed is not None:
        generator = torch.Generator().manual_seed(shuffle_seed)
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=generator is not None,
        generator=generator,
        num_workers=num_workers,
        collate_fn=pseudo_collate)
