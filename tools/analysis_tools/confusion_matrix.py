"""Plot the confusion matrix of a test run from its dumped predictions.

    python tools/test.py CONFIG CHECKPOINT --out preds.pkl
    python tools/analysis_tools/confusion_matrix.py CONFIG preds.pkl \\
        --out confusion.png [--normalize]

Rows are the true classes, columns the predicted ones; the class names come
from the config. Also prints accuracy and mean class accuracy.
"""
import argparse
import pickle

import numpy as np
from mmengine.config import Config

from mmlldif.evaluation import (classification_figures, confusion_matrix,
                                plot_confusion)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the config the predictions used')
    parser.add_argument('predictions', help='pickle from tools/test.py --out')
    parser.add_argument('--out', default='confusion.png')
    parser.add_argument(
        '--normalize', action='store_true', help='rows sum to 1')
    return parser.parse_args()


def main():
    args = parse_args()
    classes = list(Config.fromfile(args.config).class_names)
    with open(args.predictions, 'rb') as f:
        results = pickle.load(f)
    if not results or 'pred_label' not in results[0]:
        raise SystemExit(f'{args.predictions}: not predictions dumped by '
                         'tools/test.py --out.')
    pred = [int(r['pred_label']) for r in results]
    target = [int(r['gt_label']) for r in results]
    figures = classification_figures(pred, target)
    print(f'{len(results)} predictions: accuracy {figures["accuracy"]:.2f}, '
          f'mean class accuracy {figures["mean_class_accuracy"]:.2f}')
    matrix = confusion_matrix(pred, target, len(classes))
    plot_confusion(matrix, classes, args.out, normalize=args.normalize)
    np.savetxt(args.out.rsplit('.', 1)[0] + '.csv', matrix.numpy(), fmt='%d',
               delimiter=',', header=','.join(classes))
    print(f'-> {args.out}')


if __name__ == '__main__':
    main()
