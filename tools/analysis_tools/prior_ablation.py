"""How much does a trained LLDif model's backbone rely on its prior Z?

Tests one checkpoint on a split with the prior swapped at test time:

- ``predicted``: Z_hat of the diffusion head from the image (stage 2 only;
  what LLDif does at inference);
- ``teacher``: the stage-1 Z of (image, ground-truth label): an oracle;
- ``none``: no prior (the backbone unmodulated), LLformer alone;
- ``shuffled``: the Z of another, random, image (Z_hat in stage 2, the
  teacher's Z in stage 1): a prior that does not belong to the face.

If ``teacher`` is far above ``none``, the backbone reads the label from Z;
if ``predicted`` is at ``none`` or below, the predicted prior adds nothing;
if ``shuffled`` is at ``predicted``, Z_hat tells nothing about its face.
For stage 2 it also prints the cosine of Z_hat to the teacher's Z and the
spread of Z_hat over the faces relative to the teacher's (near 0: the same
prior for every face).

    python tools/analysis_tools/prior_ablation.py \\
        configs/lldif/stage2_fer2013_cpu.py STAGE2.pth \\
        --data-root ../shared/datasets/fer2013
"""
import argparse
import json
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope

from mmlldif.apis import init_model
from mmlldif.models import LLDifStage2
from mmlldif.registry import DATASETS
from mmlldif.utils import register_all_modules

MODES = ('predicted', 'teacher', 'none', 'shuffled')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='LLDif stage-1 or stage-2 config')
    parser.add_argument('checkpoint', help='its trained checkpoint')
    parser.add_argument('--data-root', help='dataset root of the split')
    parser.add_argument('--split', default='test')
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--num-workers', type=int, default=2)
    parser.add_argument('--out', help='write the figures to this JSON file')
    return parser.parse_args()


def test_loader(cfg: Config, args) -> torch.utils.data.DataLoader:
    dataset_cfg = dict(cfg.test_dataloader.dataset, split=args.split)
    if args.data_root:
        dataset_cfg['data_root'] = args.data_root
    # shuffled, so that a batch mixes expressions (the ``shuffled`` mode
    # takes the prior of the batch's next image; the splits are stored
    # sorted by class)
    return torch.utils.data.DataLoader(
        DATASETS.build(dataset_cfg),
        batch_size=args.batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
        num_workers=args.num_workers,
        collate_fn=pseudo_collate)


def priors(model, inputs: torch.Tensor, data_samples) -> dict:
    """The batch's Z under each mode the model supports, (B, prior_dim);
    ``None`` runs the backbone unmodulated."""
    teacher = model.label_prior(inputs, data_samples)
    out = dict(teacher=teacher, none=None)
    own = teacher
    if isinstance(model, LLDifStage2):
        own = out['predicted'] = model.prior(inputs)
    out['shuffled'] = own.roll(1, dims=0)
    return out


@torch.no_grad()
def ablate(model, loader) -> dict:
    """Accuracy and mean class accuracy (%) per mode; for stage 2 also the
    mean cosine similarity of Z_hat to the teacher's Z and the spread of
    Z_hat over the faces (mean std per value) relative to the teacher's."""
    preds, labels, pairs = {}, [], []
    for data in loader:
        data = model.data_preprocessor(data, False)
        inputs, samples = data['inputs'], data['data_samples']
        labels.append(torch.cat([s.gt_label for s in samples]))
        batch = priors(model, inputs, samples)
        for mode, prior in batch.items():
            feats = model.extract_feat(inputs, prior)
            preds.setdefault(mode, []).append(model.head(feats).argmax(1))
        if 'predicted' in batch:
            pairs.append((batch['predicted'], batch['teacher']))
    labels = torch.cat(labels).numpy()
    figures = {}
    for mode in MODES:
        if mode not in preds:
            continue
        pred = torch.cat(preds[mode]).numpy()
        recalls = [(pred[labels == c] == c).mean() for c in np.unique(labels)]
        figures[mode] = dict(
            accuracy=100 * float((pred == labels).mean()),
            mean_class_accuracy=100 * float(np.mean(recalls)))
    if pairs:
        predicted, teacher = (torch.cat(z) for z in zip(*pairs))
        figures['predicted'].update(
            cosine_to_teacher=float(
                torch.cosine_similarity(predicted, teacher, dim=1).mean()),
            # how much Z_hat varies between faces, against the teacher's Z;
            # near 0: the same prior for every face
            relative_spread=float(
                predicted.std(0).mean() / teacher.std(0).mean()))
    return figures


def main():
    args = parse_args()
    register_all_modules(init_default_scope=False)
    if args.data_root and not osp.isdir(args.data_root):
        raise SystemExit(f'--data-root: no folder at {args.data_root}')
    cfg = Config.fromfile(args.config)
    with DefaultScope.overwrite_default_scope('mmlldif'):
        model = init_model(cfg, args.checkpoint, inference_only=False)
        if not hasattr(model, 'label_prior'):
            raise SystemExit(f'{args.config}: not an LLDif model '
                             f'({type(model).__name__} has no prior).')
        figures = ablate(model, test_loader(cfg, args))
    print(f'{args.split} split, {args.checkpoint}')
    for mode, fig in figures.items():
        extra = ''
        if 'cosine_to_teacher' in fig:
            extra = (f'  cosine(Z_hat, Z) {fig["cosine_to_teacher"]:.3f}  '
                     f'spread(Z_hat) / spread(Z) '
                     f'{fig["relative_spread"]:.3f}')
        print(f'  prior {mode:>9}: accuracy {fig["accuracy"]:6.2f}  '
              f'mean class {fig["mean_class_accuracy"]:6.2f}{extra}')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(figures, f, indent=2)
        print(f'-> {args.out}')


if __name__ == '__main__':
    main()
