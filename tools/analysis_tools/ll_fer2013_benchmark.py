"""The LL-FER2013 benchmark's harness: its rows (configs, as data), its
targets and its report. ``benchmark_ll_fer2013.py`` beside it is the
command line; the analysis it calls is the package's (training and testing
runs in ``mmlldif.apis.two_stage``, figures in ``mmlldif.evaluation``).

Every row is trained on train, selected on val and tested once, with the
same input size, augmentation, preprocessing, schedule (epochs, optimiser,
warm-up) and seeds.
"""
import copy
import json
import os.path as osp
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.config import Config

from mmlldif.apis.two_stage import test_best, train, train_two_stage
from mmlldif.utils import launch
from mmlldif.evaluation import plot_confusion

#: row -> its config (one stage) or its stage-1 and stage-2 configs
ROWS = {
    'resnet18_normal': ['configs/baselines/resnet18_fer2013_cpu.py'],
    'resnet18_ll': ['configs/baselines/resnet18_ll-fer2013_cpu.py'],
    'llformer_ll': ['configs/baselines/llformer_ll-fer2013_cpu.py'],
    'lldif_ll': [
        'configs/lldif/ablations/stage1_fer2013_cpu.py',
        'configs/lldif/ablations/stage2_fer2013_cpu.py'
    ],
    'lldif_laclip_ll': [
        'configs/lldif/ablations/stage1_pretrained-laclip_fer2013_cpu.py',
        'configs/lldif/ablations/stage2_pretrained-laclip_fer2013_cpu.py'
    ],
    'lldif_laclip_kd_ll': [
        'configs/lldif/ablations/stage1_pretrained-laclip_fer2013_cpu.py',
        'configs/lldif/ablations/stage2_pretrained-laclip_kd_fer2013_cpu.py'
    ],
    # the shipped recipe (the benchmark sets the epochs)
    'lldif_laclip_kd_both_ll': [
        'configs/lldif/lldif_stage1_ll-fer2013_cpu.py',
        'configs/lldif/lldif_stage2_ll-fer2013_cpu.py'
    ],
    'lldif_laclip_cond_ll': [
        'configs/lldif/lldif_stage1_ll-fer2013_cpu.py',
        'configs/lldif/lldif_stage2_laclip-cond_ll-fer2013_cpu.py'
    ],
    'resnet18_kd_ll':
    ['configs/baselines/resnet18_kd-laclip_ll-fer2013_cpu.py'],
    'llformer_kd_ll':
    ['configs/baselines/llformer_kd-laclip_ll-fer2013_cpu.py'],
}
#: LL-FERPlus's rows (the 8-class majority-vote protocol): the shipped
#: recipe and its controls; stage 0 is configs/laclip/laclip_ferplus_cpu.py
FERPLUS_ROWS = {
    'resnet18_normal': ['configs/baselines/resnet18_ferplus_cpu.py'],
    'resnet18_ll': ['configs/baselines/resnet18_ll-ferplus_cpu.py'],
    'lldif_ll': [
        'configs/lldif/lldif_stage1_ll-ferplus_cpu.py',
        'configs/lldif/lldif_stage2_ll-ferplus_cpu.py'
    ],
    'lldif_laclip_kd_both_ll': [
        'configs/lldif/lldif_stage1_ll-ferplus_cpu.py',
        'configs/lldif/lldif_stage2_ll-ferplus_cpu.py'
    ],
    'resnet18_kd_ll':
    ['configs/baselines/resnet18_kd-laclip_ll-ferplus_cpu.py'],
    'llformer_kd_ll':
    ['configs/baselines/llformer_kd-laclip-e16_ll-ferplus_cpu.py'],
}
#: dataset -> (its name in reports, its rows, its default data root)
DATASET_ROWS = {
    'fer2013': ('LL-FER2013', ROWS, '../shared/datasets/fer2013'),
    'ferplus': ('LL-FERPlus', FERPLUS_ROWS, '../shared/datasets/ferplus'),
}
# LLDif's least test accuracy where one is set: FERPlus's VGG13 reaches
# about 84 in normal light after a long training
ACCURACY_TARGETS = {'ferplus': 80.0}
# rows of two stages, whose figure is stage 2's with all diffusion steps
LLDIF_ROWS = ('lldif_laclip_cond_ll', 'lldif_laclip_kd_both_ll',
              'lldif_laclip_kd_ll', 'lldif_laclip_ll', 'lldif_ll')
KD_ROWS = ('resnet18_kd_ll', 'llformer_kd_ll')
TITLES = {
    'resnet18_normal': 'ResNet-18, normal light (reference)',
    'resnet18_ll': 'ResNet-18, ll-v1',
    'llformer_ll': 'LLformer without prior, ll-v1',
    'lldif_ll': 'LLDif stage 2 (T=4), ll-v1, random LA-CLIP',
    'lldif_laclip_ll': 'LLDif stage 2 (T=4), ll-v1, pretrained LA-CLIP',
    'lldif_laclip_kd_ll': 'LLDif stage 2 (T=4), ll-v1, pretrained LA-CLIP, '
    'with distillation',
    'lldif_laclip_kd_both_ll': 'LLDif stage 2 (T=4), ll-v1, pretrained '
    'LA-CLIP, distilled in both stages',
    'lldif_laclip_cond_ll': 'LLDif stage 2 (T=4), ll-v1, pretrained '
    'LA-CLIP, distilled in both stages, conditioned on LA-CLIP',
    'resnet18_kd_ll': 'ResNet-18, ll-v1, distilled from LA-CLIP',
    'llformer_kd_ll': 'LLformer without prior, ll-v1, distilled from LA-CLIP',
}
#: (row, seed) -> {diffusion steps at test, None for one-stage rows:
#: {accuracy, mean_class_accuracy, confusion, ms_per_image}}
Results = Dict[Tuple[str, int], Dict[Optional[int], dict]]


@dataclass
class BenchmarkSettings:
    """What every row of one benchmark run shares.

    Args:
        data_root (str): The dataset's folder.
        work_dir (str): Where the rows train, ``{row}_seed{seed}/stage{n}``.
        epochs (int): Epochs of every stage (at least 2: one warm-up epoch,
            then the cosine schedule).
        steps (Sequence[int]): Diffusion steps at test of the LLDif rows.
        train_indices (list[int], optional): Train on these images only.
        lldif_configs (Sequence[str]): Stage-1 and stage-2 configs of the
            ``lldif_ll`` row (ablations: ``configs/lldif/ablations/``).
        stage1_work_dir (str, optional): A finished stage 1 that the LLDif
            rows reuse instead of training their own.
        cfg_options (dict, optional): Overrides of every config trained.
        rows (dict): The dataset's rows (``ROWS``, ``FERPLUS_ROWS``).
        accuracy_target (float, optional): LLDif's least test accuracy
            (``ACCURACY_TARGETS``).
    """
    data_root: str
    work_dir: str = 'work_dirs/benchmark'
    epochs: int = 6
    steps: Sequence[int] = (1, 2, 4)
    train_indices: Optional[List[int]] = None
    lldif_configs: Sequence[str] = tuple(ROWS['lldif_ll'])
    stage1_work_dir: Optional[str] = None
    cfg_options: Optional[dict] = None
    rows: Dict[str, List[str]] = field(default_factory=lambda: ROWS)
    accuracy_target: Optional[float] = None

    def __post_init__(self):
        if self.epochs < 2:
            raise ValueError('epochs must be at least 2: the CPU schedule '
                             'warms up for one epoch, then anneals.')

    def title(self, row: str) -> str:
        """The row's title; the ``lldif_ll`` row of an ablation names its
        stage-2 config."""
        if row == 'lldif_ll' and list(
                self.lldif_configs) != self.rows[row]:
            return (f'LLDif stage 2 (T=4), ll-v1, '
                    f'{osp.basename(self.lldif_configs[1])}')
        return TITLES[row]


def row_config(path: str, settings: BenchmarkSettings, work_dir: str,
               seed: int) -> Config:
    """The config ``path`` under the benchmark's protocol: its data root,
    epochs, seed, train subset, and a confusion matrix at test."""
    cfg = Config.fromfile(path)
    if settings.cfg_options:
        cfg.merge_from_dict(settings.cfg_options)
    cfg.work_dir = work_dir
    cfg.experiment_name = f'{osp.basename(work_dir)}_{time.time_ns()}'
    launch.set_data_root(cfg, settings.data_root)
    cfg.train_cfg.max_epochs = settings.epochs
    cfg.randomness = dict(seed=seed, deterministic=False)
    if settings.train_indices is not None:
        cfg.train_dataloader.dataset.indices = settings.train_indices
    cfg.test_evaluator = list(cfg.test_evaluator) + [
        dict(type='ConfusionMatrix')
    ]
    cfg.default_hooks.checkpoint.max_keep_ckpts = 1
    launch.set_dataloader_defaults(cfg)
    return cfg


def test_row(cfg: Config, steps: Optional[int] = None) -> dict:
    """Test figures of the best checkpoint of ``cfg``'s run.

    Args:
        cfg (Config): A config of :func:`row_config`, trained.
        steps (int, optional): An LLDif row's diffusion steps at test (a
            stage 2 without diffusion, ``DirectPriorHead``, has none).

    Returns:
        dict: ``accuracy``, ``mean_class_accuracy`` (%), ``confusion``
            (rows: true class) and ``ms_per_image`` of the whole test.
    """
    cfg = copy.deepcopy(cfg)
    if steps is not None and cfg.model.diffusion.type != 'DirectPriorHead':
        cfg.model.diffusion.num_inference_steps = steps
    start = time.perf_counter()
    metrics = test_best(cfg)
    seconds = time.perf_counter() - start
    confusion = metrics['confusion_matrix/result']
    return dict(
        accuracy=float(metrics['accuracy/top1']),
        mean_class_accuracy=float(metrics['single-label/recall']),
        confusion=confusion.tolist(),
        ms_per_image=1000 * seconds / int(confusion.sum()))


def run_row(row: str, seed: int,
            settings: BenchmarkSettings) -> Dict[Optional[int], dict]:
    """Train and test one row at one seed.

    Returns:
        dict: Diffusion steps at test (None for a one-stage row) -> the
            figures of :func:`test_row`.
    """
    work = osp.join(settings.work_dir, f'{row}_seed{seed}')
    if row not in LLDIF_ROWS:
        cfg = row_config(settings.rows[row][0], settings,
                         osp.join(work, 'stage1'), seed)
        train(cfg)
        return {None: test_row(cfg)}
    configs = (settings.lldif_configs
               if row == 'lldif_ll' else settings.rows[row])
    cfg1 = None
    if settings.stage1_work_dir is None:
        cfg1 = row_config(configs[0], settings, osp.join(work, 'stage1'),
                          seed)
    cfg2 = row_config(configs[1], settings, osp.join(work, 'stage2'), seed)
    train_two_stage(cfg1, cfg2, settings.stage1_work_dir)
    return {steps: test_row(cfg2, steps) for steps in settings.steps}


def load_results(out_dir: str) -> Results:
    """The rows already in ``out_dir/metrics.json``, so that an interrupted
    benchmark continues where it stopped (delete the file to start over).
    """
    path = osp.join(out_dir, 'metrics.json')
    if not osp.isfile(path):
        return {}
    with open(path) as f:
        saved = json.load(f)
    results = {}
    for key, by_steps in saved.items():
        row, seed = key.rsplit('/seed', 1)
        results[(row, int(seed))] = {
            None if steps == 'None' else int(steps): r
            for steps, r in by_steps.items()
        }
    return results


def save_results(out_dir: str, results: Results) -> Results:
    """Merge ``results`` into ``out_dir/metrics.json`` (re-read first:
    another benchmark process may share ``out_dir``) and return all."""
    results = {**load_results(out_dir), **results}
    saved = {
        f'{row}/seed{seed}': {str(k): v
                              for k, v in res.items()}
        for (row, seed), res in results.items()
    }
    with open(osp.join(out_dir, 'metrics.json'), 'w') as f:
        json.dump(saved, f, indent=1)
    return results


def mean_std(values: Sequence[float]) -> str:
    """``mean ± std`` of several seeds, the figure of one."""
    return f'{np.mean(values):.2f} ± {np.std(values):.2f}' if len(
        values) > 1 else f'{values[0]:.2f}'


def target_lines(lldif: str,
                 acc: Dict[str, float],
                 accuracy_target: Optional[float] = None) -> List[str]:
    """The method's accuracy targets for the LLDif row ``lldif``, against
    the rows of ``acc`` (row -> mean test accuracy) that were run, and
    against ``accuracy_target`` where one is given."""
    gaps = [(other, 3) for other in ('resnet18_ll', 'llformer_ll')
            if other in acc]
    kd = [r for r in KD_ROWS if r in acc]
    if kd:
        gaps.append((max(kd, key=acc.get), 1))  # the best control
    lines = []
    for other, goal in gaps:
        gap = acc[lldif] - acc[other]
        lines.append(f'LLDif - {TITLES[other]}: {gap:+.2f} points (target '
                     f'>= +{goal}): {"met" if gap >= goal else "MISSED"}')
    if 'resnet18_normal' in acc:
        gap = acc['resnet18_normal'] - acc[lldif]
        lines.append(f'normal-light reference - LLDif: {gap:.2f} points '
                     f'(target <= 5): {"met" if gap <= 5 else "MISSED"}')
    if accuracy_target is not None:
        met = acc[lldif] >= accuracy_target
        lines.append(f'LLDif test accuracy: {acc[lldif]:.2f} (target >= '
                     f'{accuracy_target:g}): {"met" if met else "MISSED"}')
    return lines


def report(results: Results, rows: Sequence[str], seeds: Sequence[int],
           settings: BenchmarkSettings, classes: Sequence[str],
           out_dir: str) -> str:
    """The benchmark's Markdown table of ``rows`` over those of ``seeds``
    each was run with (mean ± std), the targets beside it; writes each
    row's confusion matrix (PNG, its lowest seed) and all figures (CSV) to
    ``out_dir``."""
    steps_all = max(settings.steps)  # the LLDif row's figure: all steps

    def figures(row, steps=steps_all, key='accuracy'):
        return [
            results[(row, s)][steps if row in LLDIF_ROWS else None][key]
            for s in seeds if (row, s) in results
        ]

    out = [
        '| row | seeds | test accuracy | mean class accuracy |',
        '|---|---|---|---|'
    ]
    notes, acc = [], {}
    for row in rows:
        acc[row] = np.mean(figures(row))
        ran = ', '.join(str(s) for s in seeds if (row, s) in results)
        out.append(f'| {settings.title(row)} | {ran} | '
                   f'{mean_std(figures(row))} | '
                   f'{mean_std(figures(row, key="mean_class_accuracy"))} |')
        # the lowest seed, so that runs of one seed at a time into the
        # same out dir keep the matrix of the first seed
        seed = min(s for r, s in results if r == row)
        result = results[(row, seed)][steps_all if row in LLDIF_ROWS else None]
        plot_confusion(result['confusion'], classes,
                       osp.join(out_dir, f'confusion_{row}.png'),
                       f'{settings.title(row)}, seed {seed}')
        notes.append(f'confusion matrix ({row}, test, seed {seed}): '
                     f'{out_dir}/confusion_{row}.png')
    out += [''] + notes
    for lldif in (r for r in LLDIF_ROWS if r in rows):
        out += [
            '', settings.title(lldif), '',
            '| diffusion steps at test | accuracy | ms / image |',
            '|---|---|---|'
        ]
        out += [
            f'| {steps} | {mean_std(figures(lldif, steps))} | '
            f'{np.mean(figures(lldif, steps, "ms_per_image")):.2f} |'
            for steps in settings.steps
        ]
        out += ['', 'Targets:'] + [
            '  ' + t
            for t in target_lines(lldif, acc, settings.accuracy_target)
        ]
    with open(osp.join(out_dir, 'results.csv'), 'w') as f:
        f.write('row,seed,steps,accuracy,mean_class_accuracy,ms_per_image\n')
        for (row, seed), res in results.items():
            for steps, r in res.items():
                f.write(f'{row},{seed},{steps},{r["accuracy"]:.4f},'
                        f'{r["mean_class_accuracy"]:.4f},'
                        f'{r["ms_per_image"]:.3f}\n')
    return '\n'.join(out)
