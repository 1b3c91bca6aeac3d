"""Accuracy against darkness: several trained models on one test split
darkened by ll-v1 at fixed darkness levels; one PNG plot and a CSV.

    python tools/analysis_tools/darkness_sweep.py \\
        --data-root ../shared/datasets/fer2013 \\
        --model LLDif configs/lldif/lldif_stage2_ll-fer2013_cpu.py S2.pth \\
        --model R18 configs/baselines/resnet18_ll-fer2013_cpu.py R18.pth \\
        --darkness 0.01 0.02 0.05 0.1 0.2 0.5 --out-dir work_dirs/sweep

At each level every test image is darkened by exactly that factor (the other
ll-v1 parameters, noise included, are drawn per image as in the protocol,
with the same fixed seed), so all models see the same images. ``normal``
as a level skips the low-light step.
"""
import argparse
import os
import os.path as osp

from mmlldif.apis import init_models
from mmlldif.evaluation import (darkness_sweep, plot_darkness_sweep,
                                write_csv)
from mmlldif.utils import launch, register_all_modules
from mmlldif.utils.threads import apply_thread_policy


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    launch.add_model_test_args(parser, 'work_dirs/darkness_sweep')
    parser.add_argument(
        '--darkness',
        nargs='+',
        default=['0.01', '0.02', '0.05', '0.1', '0.2', '0.5', 'normal'])
    return parser.parse_args()


def main():
    args = parse_args()
    register_all_modules(init_default_scope=False)
    if args.data_root and not osp.isdir(args.data_root):
        raise SystemExit(f'--data-root: no folder at {args.data_root}')
    for level in args.darkness:
        if level != 'normal' and not 0 < float(level) <= 1:
            raise SystemExit(f'--darkness {level}: levels are in (0, 1] '
                             'or "normal".')
    models = init_models(args.model)
    rows = darkness_sweep(
        models,
        args.darkness,
        args.split,
        args.data_root,
        log=lambda line: print(line, flush=True),
        batch_size=args.batch_size,
        num_workers=args.num_workers,
        max_images=args.max_images)
    os.makedirs(args.out_dir, exist_ok=True)
    write_csv(osp.join(args.out_dir, 'darkness_sweep.csv'), rows)
    plot_darkness_sweep(rows, osp.join(args.out_dir, 'darkness_sweep.png'))
    print(f'-> {args.out_dir}/darkness_sweep.csv, darkness_sweep.png')


if __name__ == '__main__':
    apply_thread_policy()
    main()
