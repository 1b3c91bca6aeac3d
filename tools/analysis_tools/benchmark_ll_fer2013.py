"""LL-FER benchmark: LLDif against baselines with one data pipeline.

Trains on train, selects the checkpoint on val, reports test once, for the
rows of ``ll_fer2013_benchmark.ROWS`` (beside this file; ``--dataset
ferplus``: ``FERPLUS_ROWS``, the shipped recipe and its controls on
FERPlus's 8 classes, stage 0 ``configs/laclip/laclip_ferplus_cpu.py``
trained first):

1. ResNet-18 (mmpretrain), normal light (reference);
2. ResNet-18 on ll-v1;
3. LLformer without prior on ll-v1;
4. LLDif stage 1 -> stage 2 on ll-v1 (+ test-time diffusion steps ablation),
   with a randomly initialised LA-CLIP (``lldif_ll``) or the one pretrained by
   stage 0 (``lldif_laclip_ll``, needs ``configs/laclip/`` trained first),
   and that row with the distillation term of the controls in stage 2
   (``lldif_laclip_kd_ll``) or in both stages (``lldif_laclip_kd_both_ll``);
5. ResNet-18 and LLformer distilled from that pretrained LA-CLIP (controls).

Prints a Markdown table with the targets beside the figures and writes a
CSV, the confusion matrices (PNG) and the raw metrics (JSON) to --out-dir;
rows already in its metrics.json are kept, not trained again.

    python tools/analysis_tools/benchmark_ll_fer2013.py \
        --data-root ../shared/datasets/fer2013 --epochs 3 --seeds 0
    python tools/analysis_tools/benchmark_ll_fer2013.py --dataset ferplus \
        --epochs 8 --rows resnet18_ll lldif_laclip_kd_both_ll \
        --out-dir docs/results/ll-ferplus_e8
"""
import argparse
import os

from mmengine.config import Config, DictAction

import mmlldif  # noqa: F401
from mmlldif.datasets import stratified_subset
from mmlldif.utils import launch
from mmlldif.utils.threads import apply_thread_policy

# the harness beside this file: rows, targets, report
from ll_fer2013_benchmark import (  # noqa: E402
    ACCURACY_TARGETS, DATASET_ROWS, BenchmarkSettings, load_results, report,
    run_row, save_results)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--dataset', choices=list(DATASET_ROWS), default='fer2013')
    parser.add_argument(
        '--data-root',
        help='the dataset folder (default ../shared/datasets/DATASET)')
    parser.add_argument('--work-dir', default='work_dirs/benchmark')
    parser.add_argument('--out-dir', default='docs/results')
    parser.add_argument('--epochs', type=int, default=6)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument(
        '--train-subset',
        type=int,
        help='train on a class-stratified random subset of this size')
    parser.add_argument(
        '--rows',
        nargs='+',
        choices=sorted({r for _, rows, _ in DATASET_ROWS.values()
                        for r in rows}),
        help="rows to run (default: all of the dataset's)")
    parser.add_argument('--steps', type=int, nargs='+', default=[1, 2, 4])
    parser.add_argument(
        '--lldif-configs',
        nargs=2,
        metavar=('STAGE1', 'STAGE2'),
        help="stage-1 and stage-2 configs of the lldif_ll row (default: "
        "the dataset's; ablations: configs/lldif/ablations/)")
    parser.add_argument(
        '--stage1-work-dir',
        help='test stage-2 changes on the finished stage 1 in this work dir '
        'instead of training stage 1 again')
    parser.add_argument(
        '--report-only',
        action='store_true',
        help='train nothing: print the table of the rows and seeds that '
        '--out-dir/metrics.json holds')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of every config the benchmark trains, as in '
        'tools/train.py, e.g. load_from=CHECKPOINT')
    args = parser.parse_args()
    name, rows, data_root = DATASET_ROWS[args.dataset]
    args.dataset_name, args.dataset_rows = name, rows
    args.data_root = args.data_root or data_root
    args.rows = args.rows or list(rows)
    unknown = [r for r in args.rows if r not in rows]
    if unknown:
        parser.error(f'--rows {" ".join(unknown)}: not a row of '
                     f'--dataset {args.dataset} ({", ".join(rows)})')
    args.lldif_configs = args.lldif_configs or rows['lldif_ll']
    if args.stage1_work_dir and len(args.seeds) > 1:
        parser.error('--stage1-work-dir holds the stage 1 of one seed; '
                     'give one --seeds value with it.')
    return args


def main():
    args = parse_args()
    try:
        settings = BenchmarkSettings(
            data_root=args.data_root,
            work_dir=args.work_dir,
            epochs=args.epochs,
            steps=args.steps,
            lldif_configs=args.lldif_configs,
            stage1_work_dir=args.stage1_work_dir,
            cfg_options=args.cfg_options,
            rows=args.dataset_rows,
            accuracy_target=ACCURACY_TARGETS.get(args.dataset))
    except ValueError as e:  # the settings name the option: "epochs ..."
        raise SystemExit(f'--{e}')
    os.makedirs(args.out_dir, exist_ok=True)
    probe = Config.fromfile(args.dataset_rows['resnet18_ll'][0])
    launch.set_data_root(probe, args.data_root)
    if args.train_subset:
        settings.train_indices, total = stratified_subset(
            probe.train_dataloader.dataset, args.train_subset)
        print(f'train subset: {len(settings.train_indices)} of {total} '
              'images (class-stratified, subset seed 0)')

    results = load_results(args.out_dir)
    if args.report_only:
        missing = [r for r in args.rows if all(k[0] != r for k in results)]
        if missing:
            raise SystemExit(f'--report-only: no figures of {missing} in '
                             f'{args.out_dir}/metrics.json')
    else:
        for row in args.rows:
            for seed in args.seeds:
                if (row, seed) in results:
                    print(f'{row} seed {seed}: kept from metrics.json')
                    continue
                results = save_results(
                    args.out_dir, {(row, seed): run_row(row, seed, settings)})

    print(f'\n{args.dataset_name} (ll-v1), {args.data_root}; '
          f'epochs {args.epochs}; '
          f'train {args.train_subset or "all"} images; seeds {args.seeds}\n')
    print(report(results, args.rows, args.seeds, settings, probe.class_names,
                 args.out_dir))


if __name__ == '__main__':
    apply_thread_policy()
    main()
