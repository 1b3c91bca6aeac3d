"""Accuracy against darkness: several trained models on one test split
darkened by ll-v1 at fixed darkness levels; one PNG plot and a CSV.

    python tools/analysis_tools/darkness_sweep.py \\
        --data-root ../shared/datasets/fer2013 \\
        --model LLDif configs/lldif/stage2_fer2013_cpu.py STAGE2.pth \\
        --model R18 configs/baselines/resnet18_ll-fer2013_cpu.py R18.pth \\
        --darkness 0.01 0.02 0.05 0.1 0.2 0.5 --out-dir work_dirs/sweep

At each level every test image is darkened by exactly that factor (the other
ll-v1 parameters, noise included, are drawn per image as in the protocol,
with the same fixed seed), so all models see the same images. ``normal``
as a level skips the low-light step.
"""
import argparse
import csv
import os
import os.path as osp

from mmengine.config import Config
from mmengine.registry import DefaultScope

from mmlldif.apis import init_model
from mmlldif.evaluation import (build_test_loader, classification_figures,
                                darkened_pipeline, predict_split)
from mmlldif.utils import register_all_modules


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--model',
        nargs=3,
        action='append',
        required=True,
        metavar=('NAME', 'CONFIG', 'CHECKPOINT'),
        help='a model to sweep; repeat for several')
    parser.add_argument('--data-root', help='dataset root of the test split')
    parser.add_argument(
        '--darkness',
        nargs='+',
        default=['0.01', '0.02', '0.05', '0.1', '0.2', '0.5', 'normal'])
    parser.add_argument('--split', default='test')
    parser.add_argument(
        '--max-images', type=int, help='every k-th image, about this many')
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--num-workers', type=int, default=2)
    parser.add_argument('--out-dir', default='work_dirs/darkness_sweep')
    return parser.parse_args()


def plot(rows: list, path: str) -> None:
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
    ax.set_xlabel('ll-v1 darkness factor (log scale; 1 = no darkening)')
    ax.set_ylabel('test accuracy (%)')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc='center left', bbox_to_anchor=(1.02, 0.5))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    args = parse_args()
    register_all_modules(init_default_scope=False)
    if args.data_root and not osp.isdir(args.data_root):
        raise SystemExit(f'--data-root: no folder at {args.data_root}')
    for level in args.darkness:
        if level != 'normal' and not 0 < float(level) <= 1:
            raise SystemExit(f'--darkness {level}: levels are in (0, 1] '
                             'or "normal".')
    rows = []
    with DefaultScope.overwrite_default_scope('mmlldif'):
        for name, config, checkpoint in args.model:
            cfg = Config.fromfile(config)
            model = init_model(cfg, checkpoint)
            for level in args.darkness:
                loader = build_test_loader(
                    cfg,
                    args.split,
                    args.data_root,
                    darkened_pipeline(cfg.test_dataloader.dataset.pipeline,
                                      level),
                    batch_size=args.batch_size,
                    num_workers=args.num_workers,
                    max_images=args.max_images)
                result = classification_figures(
                    *predict_split(model, loader))
                rows.append(dict(model=name, darkness=level, **result))
                print(f'{name:>16}  darkness {level:>7}: accuracy '
                      f'{result["accuracy"]:6.2f}  mean class '
                      f'{result["mean_class_accuracy"]:6.2f}  '
                      f'({result["images"]} images)', flush=True)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(osp.join(args.out_dir, 'darkness_sweep.csv'), 'w',
              newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plot(rows, osp.join(args.out_dir, 'darkness_sweep.png'))
    print(f'-> {args.out_dir}/darkness_sweep.csv, darkness_sweep.png')


if __name__ == '__main__':
    main()
