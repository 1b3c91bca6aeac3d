"""Test several trained models and their logit average on one split: the
cheapest use of two networks, e.g. LA-CLIP zero-shot and a distilled
LLformer, as a control of LLDif.

    python tools/analysis_tools/logit_ensemble.py \\
        configs/laclip/laclip_fer2013_cpu.py LACLIP_BEST.pth \\
        configs/baselines/llformer_kd-laclip-e16_ll-fer2013_cpu.py \\
        checkpoints/llformer_kd-laclip-e16_ll-fer2013_cpu-adabd89a.pth \\
        --data-root ../shared/datasets/fer2013

The split and its pipeline are the first config's; every model must name
the same classes. ``--duplicates CSV`` (``tools/misc/check_dataset.py
--duplicates-out``) also gives every figure without the split's images
that are pixel-identical to training images. One pair tests one model.
"""
import argparse
import csv
import json

import numpy as np
from mmengine.config import Config

from mmlldif.apis import init_model
from mmlldif.evaluation import (build_test_loader, classification_figures,
                                logit_average, predict_scores)
from mmlldif.utils.threads import apply_thread_policy


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'models',
        nargs='+',
        metavar='CONFIG CHECKPOINT',
        help='pairs of a config and its trained checkpoint')
    parser.add_argument('--data-root', help='dataset root of the split')
    parser.add_argument('--split', default='test')
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument(
        '--duplicates',
        help='also report the figures without the images this CSV lists '
        'for the split (tools/misc/check_dataset.py --duplicates-out)')
    parser.add_argument('--out', help='write the figures to this JSON file')
    args = parser.parse_args()
    if len(args.models) < 2 or len(args.models) % 2:
        parser.error('give pairs of CONFIG CHECKPOINT, at least one')
    return args


def main():
    args = parse_args()
    pairs = list(zip(args.models[::2], args.models[1::2]))
    loader = build_test_loader(
        Config.fromfile(pairs[0][0]), args.split, args.data_root,
        batch_size=args.batch_size)
    drop = set()
    if args.duplicates:
        with open(args.duplicates) as f:
            drop = {
                int(row['index'])
                for row in csv.DictReader(f) if row['split'] == args.split
            }
    scores, figures, classes = [], {}, None
    for config, checkpoint in pairs:
        model = init_model(config, checkpoint)
        names = model.dataset_meta.get('classes')
        if classes is not None and names and tuple(names) != classes:
            raise SystemExit(f'{checkpoint} names the classes {names}, '
                             f'the first model {classes}.')
        classes = classes or (tuple(names) if names else None)
        model_scores, labels = predict_scores(model, loader)
        scores.append(model_scores)
    named = list(zip([c for _, c in pairs], scores))
    if len(scores) > 1:
        named.append(('logit average', logit_average(scores)))
    keep = np.array([i not in drop for i in range(len(labels))])
    for name, model_scores in named:
        figures[name] = classification_figures(model_scores.argmax(1), labels)
        line = (f'{figures[name]["accuracy"]:6.2f}  mean class '
                f'{figures[name]["mean_class_accuracy"]:6.2f}')
        if drop:
            kept = classification_figures(model_scores[keep].argmax(1),
                                          labels[keep])
            figures[name]['without_duplicates'] = kept
            line += (f'  | without the {len(drop)} duplicates '
                     f'{kept["accuracy"]:6.2f}  mean class '
                     f'{kept["mean_class_accuracy"]:6.2f}')
        print(f'{line}  {name}')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(figures, f, indent=2)
        print(f'-> {args.out}')


if __name__ == '__main__':
    apply_thread_policy()
    main()
