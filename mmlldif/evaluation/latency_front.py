"""Accuracy against inference latency of the models compared on LL-FER2013:
which of them lie on the front (no other model both faster and more
accurate). ``tools/analysis_tools/accuracy_latency.py`` is the command."""
import statistics
from typing import List, Sequence

import torch
from mmengine.config import Config

from .speed import (WARMUP, SpeedSettings, in_own_process, prepare,
                    timed)


def inference_ms(config: str, batch: int, threads: int, iters: int) -> float:
    """Median milliseconds per image of an untrained model of ``config``
    predicting (B, 3, 48, 48) batches of ``batch`` on the CPU."""
    from mmlldif.registry import MODELS
    from mmlldif.utils import register_all_modules
    register_all_modules()
    device, x = prepare(SpeedSettings(threads=threads, batch=batch))
    model = MODELS.build(Config.fromfile(config).model).eval()
    with torch.no_grad():
        times = [
            timed(lambda: model(x, mode='tensor'), device)
            for _ in range(WARMUP + iters)
        ]
    return 1000 * statistics.median(times[WARMUP:]) / batch


def model_latency(configs: Sequence[str], batch: int, threads: int,
                  iters: int) -> float:
    """Milliseconds per image of a model made of ``configs`` run one after
    the other (an ensemble: the sum), each timed in a fresh process."""
    return sum(
        in_own_process(inference_ms, config, batch, threads, iters)
        for config in configs)


def pareto_front(points: Sequence[tuple]) -> List[bool]:
    """For (latency, accuracy) points: whether each lies on the front,
    no other point at most as slow and more accurate (or as accurate and
    faster)."""
    return [
        not any((lo <= la and ao > aa) or (lo < la and ao >= aa)
                for lo, ao in points) for la, aa in points
    ]


def plot_front(rows: Sequence[dict], path: str, title: str) -> None:
    """Accuracy against ms/image at batch 1 (log scale), each point
    labelled, the front joined; ``rows``: ``name``, ``accuracy``,
    ``ms_batch1``, ``front``."""
    import matplotlib
    import matplotlib.ticker
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 5.5))
    labels = []
    for row in rows:
        ax.scatter(
            row['ms_batch1'],
            row['accuracy'],
            color='tab:red' if row['front'] else 'tab:gray',
            zorder=3)
        labels.append(
            ax.annotate(
                row['name'], (row['ms_batch1'], row['accuracy']),
                textcoords='offset points',
                xytext=(5, 4),
                fontsize=7.5))
    front = sorted((r['ms_batch1'], r['accuracy']) for r in rows
                   if r['front'])
    if len(front) > 1:
        ax.plot(*zip(*front), color='tab:red', lw=1, ls='--', zorder=2)
    ax.set_xscale('log')
    ax.margins(x=0.25)  # room for the labels of the slowest points
    ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.xaxis.set_minor_formatter(matplotlib.ticker.ScalarFormatter())
    ax.set_xlabel('inference ms per image, batch 1, 2 CPU threads (log)')
    ax.set_ylabel('LL-FER2013 test accuracy (%)')
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    # a label that would run off the figure (with room for the saved
    # file's wider text) goes left of its point, and below it, clear of
    # the labels above their points
    fig.canvas.draw()
    for label in labels:
        if label.get_window_extent().x1 > 0.96 * fig.bbox.x1:
            label.set_horizontalalignment('right')
            label.xyann = (-5, -11)
    fig.savefig(path, dpi=130)
    plt.close(fig)
