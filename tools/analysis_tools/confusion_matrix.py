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
import torch
from mmengine.config import Config


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
    pred = torch.tensor([int(r['pred_label']) for r in results])
    target = torch.tensor([int(r['gt_label']) for r in results])
    matrix = torch.zeros(len(classes), len(classes), dtype=torch.long)
    matrix.index_put_((target, pred), torch.ones_like(pred), accumulate=True)
    recall = matrix.diag() / matrix.sum(1).clamp(min=1)
    print(f'{len(results)} predictions: accuracy '
          f'{100 * matrix.diag().sum().item() / len(results):.2f}, mean '
          f'class accuracy {100 * recall[matrix.sum(1) > 0].mean():.2f}')
    shown = matrix
    if args.normalize:
        shown = matrix.float() / matrix.sum(1, keepdim=True).clamp(min=1)
    import matplotlib
    matplotlib.use('Agg')
    from mmpretrain.evaluation import ConfusionMatrix
    fig = ConfusionMatrix.plot(
        shown,
        include_values=True,
        classes=classes,
        show=False)
    fig.savefig(args.out, dpi=100, bbox_inches='tight')
    np.savetxt(args.out.rsplit('.', 1)[0] + '.csv', matrix.numpy(), fmt='%d',
               delimiter=',', header=','.join(classes))
    print(f'-> {args.out}')


if __name__ == '__main__':
    main()
