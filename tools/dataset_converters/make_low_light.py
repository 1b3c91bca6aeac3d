"""Write the ll-v1 version of a dataset split to disk.

Uses the fixed (val/test) draw, so the files are the exact images the
evaluation sees. Output layout: ``OUT/<split>/<class>/<name>.png``.

Example:
    python tools/dataset_converters/make_low_light.py \
        configs/_base_/datasets/fer2013.py \
        --data-root ../shared/datasets/fer2013 --split test \
        --out data/ll-fer2013
"""
import argparse
import os
import os.path as osp

import cv2
from mmengine.config import Config

from mmlldif.registry import DATASETS
from mmlldif.utils import register_all_modules


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='a dataset config (normal light)')
    parser.add_argument('--out', required=True, help='output root')
    parser.add_argument('--split', default='test')
    parser.add_argument('--data-root', help='dataset root')
    parser.add_argument('--protocol', default='ll-v1')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()

    register_all_modules()
    cfg = Config.fromfile(args.config)
    dataset_cfg = cfg.test_dataloader.dataset
    dataset_cfg.split = args.split
    if args.data_root:
        dataset_cfg.data_root = args.data_root
    dataset_cfg.pipeline = [
        dict(type='LoadFERImage'),
        dict(
            type='LowLight',
            protocol=args.protocol,
            deterministic=True,
            seed=args.seed)
    ]
    dataset = DATASETS.build(dataset_cfg)
    classes = dataset.metainfo['classes']
    for i in range(len(dataset)):
        sample = dataset[i]
        name = osp.splitext(sample['img_id'].replace('/', '_').replace(
            ':', '_'))[0] + '.png'
        folder = osp.join(args.out, args.split, classes[sample['gt_label']])
        os.makedirs(folder, exist_ok=True)
        cv2.imwrite(osp.join(folder, name), sample['img'])
    print(f'Wrote {len(dataset)} {args.protocol} images to '
          f'{osp.join(args.out, args.split)}')


if __name__ == '__main__':
    main()
