"""Check every image of a config's dataset splits before training on it.

    python tools/misc/check_dataset.py \\
        configs/lldif/lldif_stage1_ll-fer2013_cpu.py \\
        --data-root ../shared/datasets/fer2013 [--splits train val test] \\
        [--duplicates-out duplicates.csv]

Prints the samples per class of each split and every image that cannot be
read (truncated, empty, not an image, too small), all at once; exits 1 if
there is any. With the train split, it also reports the val and test
images whose pixels are identical to a training image's (a face the model
may have seen; FER2013 has hundreds), and writes their list with
``--duplicates-out``.
"""
import argparse
import sys

from mmengine.config import Config

import mmlldif  # noqa: F401  (fails early and clearly if not installed)
from mmlldif.datasets.check import check_dataset, split_overlap
from mmlldif.evaluation import write_csv
from mmlldif.registry import DATASETS
from mmlldif.utils import launch, register_all_modules


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--data-root', help='dataset root of every split')
    parser.add_argument(
        '--splits', nargs='+', default=['train', 'val', 'test'],
        choices=['train', 'val', 'test'])
    parser.add_argument(
        '--duplicates-out',
        help='write the val/test images identical to a training image to '
        'this CSV file')
    args = parser.parse_args()
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.data_root:
        launch.set_data_root(cfg, args.data_root)
    bad, checked = 0, {}
    for split in args.splits:
        dataset_cfg = cfg[f'{split}_dataloader'].dataset
        dataset = DATASETS.build(dict(dataset_cfg, pipeline=[]))
        counts, errors, digests = check_dataset(dataset)
        checked[split] = (dataset, digests)
        print(f'{split}: {len(dataset)} samples; ' +
              ', '.join(f'{c} {counts[c]}'
                        for c in dataset.metainfo['classes']))
        for error in errors:
            print(f'  unreadable: {error}')
        bad += len(errors)
    duplicates = []
    if 'train' in checked:
        for split in (s for s in checked if s != 'train'):
            rows = split_overlap(*checked['train'], *checked[split])
            relabelled = sum(r['label'] != r['train_label'] for r in rows)
            print(f'{split}: {len(rows)} images pixel-identical to a '
                  f'training image, {relabelled} of them with another label')
            duplicates += [dict(split=split, **row) for row in rows]
    if args.duplicates_out:
        write_csv(args.duplicates_out, duplicates, [
            'split', 'index', 'image', 'label', 'train_index', 'train_image',
            'train_label'
        ])
        print(f'-> {args.duplicates_out} ({len(duplicates)} rows)')
    if bad:
        sys.exit(f'{bad} unreadable images')
    print('all images readable')


if __name__ == '__main__':
    main()
