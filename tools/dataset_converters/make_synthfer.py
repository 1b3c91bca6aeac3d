"""Write SynthFER, the no-download stand-in dataset, in FER2013's layout.

Example:
    python tools/dataset_converters/make_synthfer.py data/synthfer
"""
import argparse
import os.path as osp

from mmlldif.datasets.synthfer import make_synthfer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='output root')
    parser.add_argument('--train', type=int, default=500,
                        help='train images per class')
    parser.add_argument('--val', type=int, default=60,
                        help='val images per class')
    parser.add_argument('--test', type=int, default=100,
                        help='test images per class')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    counts = make_synthfer(
        args.out_dir, dict(train=args.train, val=args.val, test=args.test),
        args.seed)
    print(f'SynthFER written to {osp.abspath(args.out_dir)}: {counts}')


if __name__ == '__main__':
    main()
