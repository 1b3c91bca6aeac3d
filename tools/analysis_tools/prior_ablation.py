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
        configs/lldif/lldif_stage2_ll-fer2013_cpu.py STAGE2.pth \\
        --data-root ../shared/datasets/fer2013
"""
import argparse
import json
import os.path as osp

from mmengine.config import Config
from mmengine.registry import DefaultScope

from mmlldif.apis import init_model
from mmlldif.evaluation import build_test_loader, prior_ablation
from mmlldif.utils import register_all_modules
from mmlldif.utils.threads import apply_thread_policy


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
        # shuffled, so that ``shuffled`` takes the prior of a face of
        # another expression (the splits are stored sorted by class)
        figures = prior_ablation(
            model,
            build_test_loader(
                cfg,
                args.split,
                args.data_root,
                batch_size=args.batch_size,
                num_workers=args.num_workers,
                shuffle_seed=0))
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
    apply_thread_policy()
    main()
