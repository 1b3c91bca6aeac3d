"""LL-FER2013-C: the test faces under a fixed grid of dark-camera
corruptions, in the spirit of ImageNet-C (Hendrycks and Dietterich, 2019).

Every cell is one ``LowLight`` draw with fixed levels (``ll-v2``'s camera
steps, each on or off): darkness x shot noise on a 5 x 5 grid, and five
severities each of motion blur, lower resolution, JPEG and a phone's
brighten-and-denoise, those four on ll-v1's middle darkness and noise.
The noise itself, the blur's direction and the read noise are drawn per
image with a fixed seed, so every model sees the same images.

A cell is *below the information floor* when the median test face's
:func:`face_visibility` is below 1 (its contrast at 12 pixels across is
under the noise): a person sees mostly noise there, and such cells are
reported apart from the suite's mean.
"""
import csv
import math
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.config import Config
from mmengine.registry import DefaultScope

from mmlldif.datasets.transforms.low_light import (CAMERA_STEPS,
                                                   face_visibility)
from mmlldif.registry import DATASETS, TRANSFORMS
from .classification import classification_figures, predict_split
from .loaders import build_test_loader, corrupted_pipeline

#: ll-v1's middle: the geometric means of its darkness and shot-noise
#: ranges
BASE_DARKNESS = 0.045
BASE_SHOT_NOISE = 1.6e-3
DARKNESS = (0.1, 0.045, 0.02, 0.01, 0.005)
SHOT_NOISE = (5e-4, 1.6e-3, 5e-3, 1e-2, 2e-2)
#: condition -> its severities 1..5, each the levels it sets
CONDITIONS = {
    'motion blur': [dict(blur_length=v) for v in (0.03, 0.06, 0.09, 0.12,
                                                  0.15)],
    'low resolution': [dict(scale=v) for v in (0.8, 0.65, 0.5, 0.4, 0.3)],
    'jpeg': [dict(jpeg_quality=v) for v in (90, 70, 50, 35, 20)],
    'brighten + denoise': [
        dict(brighten_to=0.15, denoise_sigma=v) for v in (10, 25, 40, 60, 80)
    ],
}


def suite_cells() -> List[dict]:
    """The suite's cells: ``condition``, ``severity`` (1..5; for the
    darkness x noise grid ``'darkness/shot'``) and ``levels``."""
    cells = []
    for darkness in DARKNESS:
        for shot in SHOT_NOISE:
            cells.append(
                dict(
                    condition='darkness x noise',
                    severity=f'{darkness:g}/{shot:g}',
                    levels=dict(darkness=darkness, shot_noise=shot)))
    for condition, severities in CONDITIONS.items():
        for i, levels in enumerate(severities, 1):
            cells.append(
                dict(
                    condition=condition,
                    severity=str(i),
                    levels=dict(
                        darkness=BASE_DARKNESS,
                        shot_noise=BASE_SHOT_NOISE,
                        **levels)))
    return cells


def cell_transform(levels: dict) -> dict:
    """The ``LowLight`` config of one cell: ``ll-v2`` with every level
    fixed, its read noise on the protocol's curve, noise per channel as
    in ll-v1, and only the camera steps the cell names switched on."""
    # a camera step's probability is 1 where the cell sets its level, else 0
    probs = {
        prob: float(name in levels)
        for name, (prob, _) in CAMERA_STEPS.items()
    }
    return dict(
        type='LowLight',
        protocol='ll-v2',
        deterministic=True,
        read_noise_std=0.0,
        mono_noise_prob=0.0,
        **{name: (value, value)
           for name, value in levels.items()},
        **probs)


def cell_visibility(cfg: Config,
                    levels: dict,
                    split: str = 'test',
                    data_root: Optional[str] = None,
                    max_images: int = 300) -> Tuple[float, float]:
    """The median :func:`face_visibility` of about ``max_images`` faces of
    the split under one cell, and the share of them below 1."""
    loading = cfg.test_dataloader.dataset.pipeline[0]
    dataset_cfg = dict(
        cfg.test_dataloader.dataset, split=split, pipeline=[loading])
    if data_root:
        dataset_cfg['data_root'] = data_root
    dataset = DATASETS.build(dataset_cfg)
    transform = TRANSFORMS.build(cell_transform(levels))
    step = max(1, len(dataset) // max_images)
    values = []
    for i in range(0, len(dataset), step):
        results = dataset[i]
        draw = transform.draw(transform.generator(results))
        values.append(
            face_visibility(results['img'], draw,
                            transform.params['gamma']))
    values = np.asarray(values)
    return float(np.median(values)), float((values < 1).mean())


def corruption_suite(models: Sequence[Tuple[str, Config, object]],
                     split: str = 'test',
                     data_root: Optional[str] = None,
                     cells: Optional[List[dict]] = None,
                     log=print,
                     **loader_kwargs) -> List[dict]:
    """Test every model on its own ll-v1 test and on every suite cell.

    Args:
        models (Sequence[tuple]): ``(name, config, model)``, the model in
            eval mode (``mmlldif.apis.init_model``).
        split (str): Defaults to ``'test'``.
        data_root (str, optional): Instead of the configs'.
        cells (list[dict], optional): Defaults to :func:`suite_cells`.
        log (callable): Called with one line per model and cell.
        **loader_kwargs: ``batch_size``, ``num_workers``, ``max_images`` of
            :func:`build_test_loader`.

    Returns:
        list[dict]: One per model and cell (the first per model is
            ``condition='ll-v1'``): ``model``, ``condition``,
            ``severity``, ``visibility`` (median), ``below_floor``,
            ``accuracy``, ``mean_class_accuracy`` and ``change`` (points
            from the model's ll-v1 accuracy).
    """
    cells = suite_cells() if cells is None else cells
    rows = []
    visibility: Dict[str, Tuple[float, float]] = {}
    with DefaultScope.overwrite_default_scope('mmlldif'):
        for name, cfg, model in models:
            loader = build_test_loader(cfg, split, data_root,
                                       **loader_kwargs)
            reference = classification_figures(*predict_split(model, loader))
            rows.append(
                dict(
                    model=name,
                    condition='ll-v1',
                    severity='',
                    visibility=math.nan,
                    below_floor=False,
                    accuracy=reference['accuracy'],
                    mean_class_accuracy=reference['mean_class_accuracy'],
                    change=0.0))
            log(f'{name}: ll-v1 {reference["accuracy"]:.2f}')
            for cell in cells:
                key = f'{cell["condition"]} {cell["severity"]}'
                if key not in visibility:
                    visibility[key] = cell_visibility(cfg, cell['levels'],
                                                      split, data_root)
                median, _ = visibility[key]
                pipeline = corrupted_pipeline(
                    cfg.test_dataloader.dataset.pipeline,
                    cell_transform(cell['levels']))
                loader = build_test_loader(cfg, split, data_root, pipeline,
                                           **loader_kwargs)
                result = classification_figures(
                    *predict_split(model, loader))
                change = result['accuracy'] - reference['accuracy']
                rows.append(
                    dict(
                        model=name,
                        condition=cell['condition'],
                        severity=cell['severity'],
                        visibility=median,
                        below_floor=median < 1,
                        accuracy=result['accuracy'],
                        mean_class_accuracy=result['mean_class_accuracy'],
                        change=change))
                log(f'{name}: {key:<28} accuracy {result["accuracy"]:6.2f} '
                    f'({change:+6.2f})  visibility {median:5.2f}'
                    f'{"  below the floor" if median < 1 else ""}')
    return rows


def read_suite_csv(path: str) -> List[dict]:
    """The rows of a ``corruption_suite.csv`` as :func:`corruption_suite`
    returned them (numbers as floats, ``below_floor`` as bool)."""
    with open(path, newline='') as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for key in ('visibility', 'accuracy', 'mean_class_accuracy',
                    'change'):
            row[key] = float(row[key])
        row['below_floor'] = row['below_floor'] == 'True'
    return rows


def suite_summary(rows: List[dict]) -> List[dict]:
    """Per model: its ll-v1 accuracy, the suite's mean accuracy over the
    cells above the floor and over all cells, the worst change above the
    floor and the number of cells above it within 5 points of ll-v1."""
    out = []
    for name in dict.fromkeys(r['model'] for r in rows):
        own = [r for r in rows if r['model'] == name]
        reference = own[0]['accuracy']
        cells = own[1:]
        above = [r for r in cells if not r['below_floor']]
        out.append(
            dict(
                model=name,
                ll_v1=reference,
                mean_above_floor=float(np.mean([r['accuracy']
                                                for r in above])),
                mean_all=float(np.mean([r['accuracy'] for r in cells])),
                worst_change_above_floor=min(r['change'] for r in above),
                within_5_points=sum(r['change'] >= -5 for r in above),
                cells_above_floor=len(above),
                cells=len(cells)))
    return out


def plot_corruption_suite(rows: List[dict], model: str, path: str) -> None:
    """One model's accuracy change from ll-v1 on every cell: the darkness
    x noise grid and the four camera conditions by severity; cells below
    the information floor are hatched. Saved to ``path``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    own = [r for r in rows if r['model'] == model and
           r['condition'] != 'll-v1']
    grid = np.full((len(DARKNESS), len(SHOT_NOISE)), np.nan)
    grid_floor = np.zeros_like(grid, dtype=bool)
    conditions = list(CONDITIONS)
    camera = np.full((len(conditions), 5), np.nan)
    camera_floor = np.zeros_like(camera, dtype=bool)
    for r in own:
        if r['condition'] == 'darkness x noise':
            darkness, shot = (float(v) for v in r['severity'].split('/'))
            i = min(range(len(DARKNESS)),
                    key=lambda k: abs(DARKNESS[k] - darkness))
            j = min(range(len(SHOT_NOISE)),
                    key=lambda k: abs(SHOT_NOISE[k] - shot))
            grid[i, j], grid_floor[i, j] = r['change'], r['below_floor']
        else:
            i, j = conditions.index(r['condition']), int(r['severity']) - 1
            camera[i, j], camera_floor[i, j] = r['change'], r['below_floor']
    fig, axes = plt.subplots(
        1,
        2,
        figsize=(13, 4.2),
        gridspec_kw=dict(width_ratios=[1, 1.2], wspace=0.55))
    panels = ((axes[0], grid, grid_floor,
               [f'{v:g}' for v in SHOT_NOISE], [f'{v:g}' for v in DARKNESS],
               'shot noise', 'darkness'),
              (axes[1], camera, camera_floor, [str(i) for i in range(1, 6)],
               conditions, 'severity', ''))
    for ax, values, floor, xticks, yticks, xlabel, ylabel in panels:
        image = ax.imshow(values, cmap='RdYlGn', vmin=-30, vmax=5)
        for (i, j), value in np.ndenumerate(values):
            if np.isnan(value):
                continue
            ax.text(j, i, f'{value:+.1f}', ha='center', va='center',
                    fontsize=8)
            if floor[i, j]:
                ax.add_patch(
                    plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False,
                                  hatch='///', edgecolor='grey',
                                  linewidth=0))
        ax.set_xticks(range(len(xticks)), xticks)
        ax.set_yticks(range(len(yticks)), yticks)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    fig.colorbar(image, ax=axes, label='accuracy change from ll-v1 (points)',
                 shrink=0.8)
    reference = [r for r in rows if r['model'] == model][0]['accuracy']
    fig.suptitle(f'LL-FER2013-C, {model} (ll-v1 test {reference:.2f}); '
                 'hatched: below the information floor')
    fig.savefig(path, dpi=110, bbox_inches='tight')
    plt.close(fig)
