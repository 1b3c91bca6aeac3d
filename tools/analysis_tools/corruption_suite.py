"""LL-FER2013-C: trained models on the test faces under a fixed grid of
dark-camera corruptions (darkness x shot noise, motion blur, lower
resolution, JPEG, a phone's brighten-and-denoise); a CSV, a summary table
and one heatmap per model.

    python tools/analysis_tools/corruption_suite.py \\
        --data-root ../shared/datasets/fer2013 \\
        --model LLDif configs/lldif/lldif_stage2_ll-fer2013_cpu.py S2.pth \\
        --model R18 configs/baselines/resnet18_ll-fer2013_cpu.py R18.pth \\
        --out-dir work_dirs/corruption_suite

``--add`` keeps the models of an earlier run in ``OUT_DIR`` (those tested
again are replaced), to add one model to a suite's table.

Each row's change is from the model's own ll-v1 test accuracy, measured
in the same run. Cells where the median face's contrast at 12 pixels is
under the noise (below the information floor) are listed apart and left
out of the suite mean. The cells are in ``mmlldif/evaluation/
corruption_suite.py``; docs/robustness.md has the protocol.
"""
import argparse
import os
import os.path as osp
import re

from mmlldif.apis import init_models
from mmlldif.evaluation import (corruption_suite, plot_corruption_suite,
                                read_suite_csv, suite_summary, write_csv)
from mmlldif.utils import launch, register_all_modules
from mmlldif.utils.threads import apply_thread_policy


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    launch.add_model_test_args(parser, 'work_dirs/corruption_suite')
    parser.add_argument(
        '--add',
        action='store_true',
        help='keep the other models of OUT_DIR/corruption_suite.csv')
    return parser.parse_args()


def summary_table(summary: list) -> str:
    """The summary as a markdown table."""
    lines = [
        '| model | ll-v1 test | suite mean, above the floor | worst change '
        'above the floor | cells within 5 points | suite mean, all cells |',
        '|---|---|---|---|---|---|'
    ]
    for s in summary:
        lines.append(
            f'| {s["model"]} | {s["ll_v1"]:.2f} | {s["mean_above_floor"]:.2f}'
            f' | {s["worst_change_above_floor"]:+.2f} | '
            f'{s["within_5_points"]} / {s["cells_above_floor"]} | '
            f'{s["mean_all"]:.2f} |')
    return '\n'.join(lines) + '\n'


def main():
    args = parse_args()
    register_all_modules(init_default_scope=False)
    if args.data_root and not osp.isdir(args.data_root):
        raise SystemExit(f'--data-root: no folder at {args.data_root}')
    models = init_models(args.model)
    rows = corruption_suite(
        models,
        args.split,
        args.data_root,
        log=lambda line: print(line, flush=True),
        batch_size=args.batch_size,
        num_workers=args.num_workers,
        max_images=args.max_images)
    os.makedirs(args.out_dir, exist_ok=True)
    path = osp.join(args.out_dir, 'corruption_suite.csv')
    if args.add and osp.isfile(path):
        tested = {name for name, _, _ in models}
        rows = [r for r in read_suite_csv(path)
                if r['model'] not in tested] + rows
    write_csv(path, rows)
    floor = sorted({
        f'{r["condition"]} {r["severity"]}'
        for r in rows if r['below_floor']
    })
    table = summary_table(suite_summary(rows))
    with open(osp.join(args.out_dir, 'summary.md'), 'w') as f:
        f.write(table)
        f.write('\nBelow the information floor (left out of the mean above '
                'it): ' + (', '.join(floor) or 'none') + '\n')
    print(table)
    print('below the information floor:', ', '.join(floor) or 'none')
    for name, _, _ in models:
        # 'LLDif (shipped)' -> suite_lldif-shipped.png
        slug = re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')
        plot_corruption_suite(rows, name,
                              osp.join(args.out_dir, f'suite_{slug}.png'))
    print(f'-> {args.out_dir}/corruption_suite.csv, summary.md, suite_*.png')


if __name__ == '__main__':
    apply_thread_policy()
    main()
