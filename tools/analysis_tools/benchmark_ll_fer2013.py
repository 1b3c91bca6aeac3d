"""LL-FER2013 benchmark: LLDif against baselines with one data pipeline.

Trains on train, selects the checkpoint on val, reports test once, for:

1. ResNet-18 (mmpretrain), normal light (reference);
2. ResNet-18 on ll-v1;
3. LLformer without prior on ll-v1;
4. LLDif stage 1 -> stage 2 on ll-v1 (+ test-time diffusion steps ablation),
   with a randomly initialised LA-CLIP (``lldif_ll``) or the one pretrained by
   stage 0 (``lldif_laclip_ll``, needs ``configs/laclip/`` trained first),
   and that row with the distillation term of the controls in stage 2
   (``lldif_laclip_kd_ll``);
5. ResNet-18 and LLformer distilled from that pretrained LA-CLIP (controls).

Every row uses the same input size, augmentation, preprocessing, schedule
(epochs, optimiser, warm-up) and seeds. Prints a Markdown table with the
targets beside the figures and writes a CSV, the confusion
matrices (PNG) and the raw metrics (JSON) to --out-dir.

    python tools/analysis_tools/benchmark_ll_fer2013.py \
        --data-root ../shared/datasets/fer2013 --epochs 3 --seeds 0
"""
import argparse
import copy
import json
import os
import os.path as osp
import time

import numpy as np
from mmengine.config import Config, DictAction

import mmlldif  # noqa: F401
from mmlldif.apis.two_stage import test_best, train, train_two_stage
from mmlldif.evaluation import plot_confusion
from mmlldif.utils import launch

ROWS = {
    'resnet18_normal': ['configs/baselines/resnet18_fer2013_cpu.py'],
    'resnet18_ll': ['configs/baselines/resnet18_ll-fer2013_cpu.py'],
    'llformer_ll': ['configs/baselines/llformer_ll-fer2013_cpu.py'],
    'lldif_ll': [
        'configs/lldif/stage1_fer2013_cpu.py',
        'configs/lldif/stage2_fer2013_cpu.py'
    ],
    'lldif_laclip_ll': [
        'configs/lldif/stage1_pretrained-laclip_fer2013_cpu.py',
        'configs/lldif/stage2_pretrained-laclip_fer2013_cpu.py'
    ],
    'lldif_laclip_kd_ll': [
        'configs/lldif/stage1_pretrained-laclip_fer2013_cpu.py',
        'configs/lldif/stage2_pretrained-laclip_kd_fer2013_cpu.py'
    ],
    'resnet18_kd_ll':
    ['configs/baselines/resnet18_kd-laclip_ll-fer2013_cpu.py'],
    'llformer_kd_ll':
    ['configs/baselines/llformer_kd-laclip_ll-fer2013_cpu.py'],
}
# rows of two stages, whose figure is stage 2's with all diffusion steps
LLDIF_ROWS = ('lldif_laclip_kd_ll', 'lldif_laclip_ll', 'lldif_ll')
KD_ROWS = ('resnet18_kd_ll', 'llformer_kd_ll')
TITLES = {
    'resnet18_normal': 'ResNet-18, normal light (reference)',
    'resnet18_ll': 'ResNet-18, ll-v1',
    'llformer_ll': 'LLformer without prior, ll-v1',
    'lldif_ll': 'LLDif stage 2 (T=4), ll-v1, random LA-CLIP',
    'lldif_laclip_ll': 'LLDif stage 2 (T=4), ll-v1, pretrained LA-CLIP',
    'lldif_laclip_kd_ll': 'LLDif stage 2 (T=4), ll-v1, pretrained LA-CLIP, '
    'with distillation',
    'resnet18_kd_ll': 'ResNet-18, ll-v1, distilled from LA-CLIP',
    'llformer_kd_ll': 'LLformer without prior, ll-v1, distilled from LA-CLIP',
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--data-root', default='../shared/datasets/fer2013')
    parser.add_argument('--work-dir', default='work_dirs/benchmark')
    parser.add_argument('--out-dir', default='docs/results')
    parser.add_argument('--epochs', type=int, default=6)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument(
        '--train-subset',
        type=int,
        help='train on a class-stratified random subset of this size')
    parser.add_argument(
        '--rows', nargs='+', default=list(ROWS), choices=list(ROWS))
    parser.add_argument('--steps', type=int, nargs='+', default=[1, 2, 4])
    parser.add_argument(
        '--lldif-configs',
        nargs=2,
        metavar=('STAGE1', 'STAGE2'),
        default=ROWS['lldif_ll'],
        help='stage-1 and stage-2 configs of the LLDif row (ablations: '
        'configs/lldif/ablations/)')
    parser.add_argument(
        '--stage1-work-dir',
        help='test stage-2 changes on the finished stage 1 in this work dir '
        'instead of training stage 1 again')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of every config the benchmark trains, as in '
        'tools/train.py, e.g. load_from=CHECKPOINT')
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error('--epochs must be at least 2: the CPU schedule warms '
                     'up for one epoch, then anneals.')
    if args.stage1_work_dir and len(args.seeds) > 1:
        parser.error('--stage1-work-dir holds the stage 1 of one seed; '
                     'give one --seeds value with it.')
    return args


def stratified_subset(cfg, size, seed=0):
    """Indices of a class-stratified random subset of the train split, and
    the split's size."""
    from mmlldif.registry import DATASETS
    dataset = DATASETS.build(
        dict(cfg.train_dataloader.dataset, pipeline=[], lazy_init=False))
    labels = dataset.get_gt_labels()
    rng = np.random.default_rng(seed)
    keep = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        n = max(1, round(size * len(idx) / len(labels)))
        keep.extend(rng.choice(idx, n, replace=False).tolist())
    return sorted(keep), len(labels)


def make_cfg(path, args, work_dir, seed, subset):
    cfg = Config.fromfile(path)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg.work_dir = work_dir
    cfg.experiment_name = f'{osp.basename(work_dir)}_{time.time_ns()}'
    launch.set_data_root(cfg, args.data_root)
    cfg.train_cfg.max_epochs = args.epochs
    cfg.randomness = dict(seed=seed, deterministic=False)
    if subset is not None:
        cfg.train_dataloader.dataset.indices = subset
    cfg.test_evaluator = list(cfg.test_evaluator) + [
        dict(type='ConfusionMatrix')
    ]
    cfg.default_hooks.checkpoint.max_keep_ckpts = 1
    launch.set_dataloader_defaults(cfg)
    return cfg


def test(cfg, steps=None):
    """Test figures of the best checkpoint of ``cfg``'s run; ``steps``: the
    LLDif row's diffusion steps at test."""
    cfg = copy.deepcopy(cfg)
    if steps is not None:
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


def run_row(row, args, seed, subset):
    work = osp.join(args.work_dir, f'{row}_seed{seed}')
    if row not in LLDIF_ROWS:
        cfg = make_cfg(ROWS[row][0], args, osp.join(work, 'stage1'), seed,
                       subset)
        train(cfg)
        return {None: test(cfg)}
    configs = args.lldif_configs if row == 'lldif_ll' else ROWS[row]
    cfg1 = None
    if args.stage1_work_dir is None:
        cfg1 = make_cfg(configs[0], args, osp.join(work, 'stage1'), seed,
                        subset)
    cfg2 = make_cfg(configs[1], args, osp.join(work, 'stage2'), seed,
                    subset)
    train_two_stage(cfg1, cfg2, args.stage1_work_dir)
    return {steps: test(cfg2, steps) for steps in args.steps}


def load_finished(out_dir):
    """Rows already in ``out_dir/metrics.json``, so that an interrupted
    benchmark continues where it stopped (delete the file to start over)."""
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


def mean_std(values):
    return f'{np.mean(values):.2f} ± {np.std(values):.2f}' if len(
        values) > 1 else f'{values[0]:.2f}'


def print_targets(lldif, acc):
    """The method's targets for the LLDif row ``lldif``, against the rows of
    ``acc`` (row -> mean test accuracy) that were run."""
    print('\nTargets:')
    gaps = [(other, 3) for other in ('resnet18_ll', 'llformer_ll')
            if other in acc]
    kd = [r for r in KD_ROWS if r in acc]
    if kd:
        gaps.append((max(kd, key=acc.get), 1))  # the best control
    for other, goal in gaps:
        gap = acc[lldif] - acc[other]
        print(f'  LLDif - {TITLES[other]}: {gap:+.2f} points (target >= '
              f'+{goal}): {"met" if gap >= goal else "MISSED"}')
    if 'resnet18_normal' in acc:
        gap = acc['resnet18_normal'] - acc[lldif]
        print(f'  normal-light reference - LLDif: {gap:.2f} points (target '
              f'<= 5): {"met" if gap <= 5 else "MISSED"}')


def main():
    args = parse_args()
    if args.lldif_configs != ROWS['lldif_ll']:  # an ablation: name it
        TITLES['lldif_ll'] = ('LLDif stage 2 (T=4), ll-v1, '
                              f'{osp.basename(args.lldif_configs[1])}')
    os.makedirs(args.out_dir, exist_ok=True)
    probe = Config.fromfile(ROWS['llformer_ll'][0])
    launch.set_data_root(probe, args.data_root)
    subset = None
    if args.train_subset:
        subset, total = stratified_subset(probe, args.train_subset)
        print(f'train subset: {len(subset)} of {total} images '
              '(class-stratified, subset seed 0)')
    classes = probe.class_names

    results = load_finished(args.out_dir)
    for row in args.rows:
        for seed in args.seeds:
            if (row, seed) in results:
                print(f'{row} seed {seed}: kept from metrics.json')
                continue
            results[(row, seed)] = run_row(row, args, seed, subset)
            # re-read first: another benchmark process may share out_dir
            results = {**load_finished(args.out_dir), **results}
            saved = {
                f'{r}/seed{s}': {str(k): v
                                 for k, v in res.items()}
                for (r, s), res in results.items()
            }
            with open(osp.join(args.out_dir, 'metrics.json'), 'w') as f:
                json.dump(saved, f, indent=1)

    steps_all = max(args.steps)  # the LLDif row's figure: all its steps

    def figures(row, steps=steps_all, key='accuracy'):
        return [
            results[(row, s)][steps if row in LLDIF_ROWS else None][key]
            for s in args.seeds if (row, s) in results
        ]

    print(f'\nLL-FER2013 (ll-v1), {args.data_root}; epochs {args.epochs}; '
          f'train {args.train_subset or "all"} images; seeds {args.seeds}\n')
    print('| row | test accuracy | mean class accuracy |')
    print('|---|---|---|')
    lines, notes = [], []
    for row in args.rows:
        acc = figures(row)
        mca = figures(row, key='mean_class_accuracy')
        line = f'| {TITLES[row]} | {mean_std(acc)} | {mean_std(mca)} |'
        lines.append((row, acc, mca))
        print(line)
        # the lowest seed in metrics.json, so that runs of one seed at a
        # time into the same out dir keep the matrix of the first seed
        seed = min(s for r, s in results if r == row)
        by_steps = results[(row, seed)]
        result = by_steps[steps_all if row in LLDIF_ROWS else None]
        plot_confusion(result['confusion'], classes,
                       osp.join(args.out_dir, f'confusion_{row}.png'),
                       f'{TITLES[row]}, seed {seed}')
        notes.append(f'confusion matrix ({row}, test, seed {seed}): '
                     f'{args.out_dir}/confusion_{row}.png')
    print('\n' + '\n'.join(notes))
    acc = {row: np.mean(a) for row, a, _ in lines}
    for lldif in (r for r in LLDIF_ROWS if r in args.rows):
        print(f'\n{TITLES[lldif]}\n')
        print('| diffusion steps at test | accuracy | ms / image |')
        print('|---|---|---|')
        for steps in args.steps:
            print(f'| {steps} | {mean_std(figures(lldif, steps))} | '
                  f'{np.mean(figures(lldif, steps, "ms_per_image")):.2f} |')
        print_targets(lldif, acc)
    with open(osp.join(args.out_dir, 'results.csv'), 'w') as f:
        f.write('row,seed,steps,accuracy,mean_class_accuracy,ms_per_image\n')
        for (row, seed), res in results.items():
            for steps, r in res.items():
                f.write(f'{row},{seed},{steps},{r["accuracy"]:.4f},'
                        f'{r["mean_class_accuracy"]:.4f},'
                        f'{r["ms_per_image"]:.3f}\n')


if __name__ == '__main__':
    main()
