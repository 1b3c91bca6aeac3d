"""Accuracy against darkness: trained models on one test split darkened
at fixed darkness levels (``darkened_pipeline``) by the protocol each was
trained on (ll-v1 for a model trained without darkening), so that models
of one protocol see the same images at every level."""
from typing import List, Optional, Sequence, Tuple

from mmengine.config import Config
from mmengine.registry import DefaultScope

from mmlldif.datasets.transforms import training_protocol
from .classification import classification_figures, predict_split
from .loaders import build_test_loader, darkened_pipeline


def darkness_sweep(models: Sequence[Tuple[str, Config, object]],
                   levels: Sequence[str],
                   split: str = 'test',
                   data_root: Optional[str] = None,
                   log=print,
                   **loader_kwargs) -> List[dict]:
    """Test every model at every darkness level.

    Args:
        models (Sequence[tuple]): ``(name, config, model)``, the model in
            eval mode (``mmlldif.apis.init_model``).
        levels (Sequence[str]): Darkness factors in (0, 1], or ``normal``
            (no low-light step).
        split (str): Defaults to ``'test'``.
        data_root (str, optional): Instead of the configs'.
        log (callable): Called with one line per model and level.
        **loader_kwargs: ``batch_size``, ``num_workers``, ``max_images`` of
            :func:`build_test_loader`.

    Returns:
        list[dict]: One per model and level: ``model``, ``protocol``,
            ``darkness`` and the figures of :func:`classification_figures`.
    """
    rows = []
    with DefaultScope.overwrite_default_scope('mmlldif'):
        for name, cfg, model in models:
            protocol = training_protocol(cfg) or 'll-v1'
            for level in levels:
                pipeline = darkened_pipeline(
                    cfg.test_dataloader.dataset.pipeline, level, protocol)
                loader = build_test_loader(cfg, split, data_root, pipeline,
                                           **loader_kwargs)
                result = classification_figures(
                    *predict_split(model, loader))
                rows.append(
                    dict(
                        model=name, protocol=protocol, darkness=level,
                        **result))
                log(f'{name:>16}  {protocol} darkness {level:>7}: accuracy '
                    f'{result["accuracy"]:6.2f}  mean class '
                    f'{result["mean_class_accuracy"]:6.2f}  '
                    f'({result["images"]} images)')
    return rows


def plot_darkness_sweep(rows: List[dict], path: str) -> None:
    """Accuracy against darkness (log scale), one line per model, its
    normal-light accuracy dotted; saved to ``path``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(9, 4))
    for name in dict.fromkeys(r['model'] for r in rows):
        own = [r for r in rows if r['model'] == name]
        dark = [r for r in own if r['darkness'] != 'normal']
        line, = ax.plot([float(r['darkness']) for r in dark],
                        [r['accuracy'] for r in dark],
                        marker='o',
                        label=name)
        for r in own:
            if r['darkness'] == 'normal':
                ax.axhline(
                    r['accuracy'],
                    color=line.get_color(),
                    linestyle=':',
                    label=f'{name}, normal light')
    ax.set_xscale('log')
    protocols = ', '.join(sorted({r['protocol'] for r in rows}))
    ax.set_xlabel(f'darkness factor of {protocols}, the protocol each model '
                  'was trained on (log scale)')
    ax.set_ylabel('test accuracy (%)')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc='center left', bbox_to_anchor=(1.02, 0.5))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
