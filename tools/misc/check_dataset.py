"""Check every image of a config's dataset splits before training on it.

    python tools/misc/check_dataset.py configs/lldif/stage1_fer2013_cpu.py \\
        --data-root ../shared/datasets/fer2013 [--splits train val test]

Prints the samples per class of each split and every image that cannot be
read (truncated, empty, not an image, too small), all at once; exits 1 if
there is any.
"""
import argparse
import sys

from mmengine.config import Config

import mmlldif  # noqa: F401  (fails early and clearly if not installed)
from mmlldif.datasets.check import check_dataset
from mmlldif.registry import DATASETS
from mmlldif.utils import launch, register_all_modules


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--data-root', help='dataset root of every split')
    parser.add_argument(
        '--splits', nargs='+', default=['train', 'val', 'test'],
        choices=['train', 'val', 'test'])
    args = parser.parse_args()
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.data_root:
        launch.set_data_root(cfg, args.data_root)
    bad = 0
    for split in args.splits:
        dataset_cfg = cfg[f'{split}_dataloader'].dataset
        dataset = DATASETS.build(dict(dataset_cfg, pipeline=[]))
        counts, errors = check_dataset(dataset)
        print(f'{split}: {len(dataset)} samples; ' +
              ', '.join(f'{c} {counts[c]}'
                        for c in dataset.metainfo['classes']))
        for error in errors:
            print(f'  unreadable: {error}')
        bad += len(errors)
    if bad:
        sys.exit(f'{bad} unreadable images')
    print('all images readable')


if __name__ == '__main__':
    main()
