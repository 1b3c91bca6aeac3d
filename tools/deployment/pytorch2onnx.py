"""Export a trained LLDif stage-2 model (or any classifier config of this
project, e.g. an LLformer baseline) to ONNX and check it with ONNX Runtime.

    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT \\
        --out lldif.onnx [--shape 48 48] [--steps 4] [--opset 17]

The ONNX model takes ``images``, (B, 3, H, W) float32 BGR in 0-255 (the
image as loaded, resized to the model's size), and returns ``scores``,
(B, num_classes) class probabilities. The diffusion steps are unrolled;
``--steps`` picks how many (default: the config's). After export, ONNX
Runtime and PyTorch run the same random batch and the max absolute
difference of their scores is printed; above ``--tolerance`` it fails.
"""
import argparse
import os
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config, DictAction

from mmlldif.apis import init_model
from mmlldif.apis.onnx_export import compare_with_onnxruntime, export_onnx


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', default='work_dirs/onnx/model.onnx')
    parser.add_argument(
        '--shape', type=int, nargs=2, default=[48, 48], help='H W')
    parser.add_argument(
        '--steps', type=int, help='diffusion steps to unroll (stage 2)')
    parser.add_argument('--opset', type=int, default=17)
    parser.add_argument('--tolerance', type=float, default=1e-4)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.steps is not None:
        if 'diffusion' not in cfg.model:
            raise SystemExit(f'--steps: {args.config} has no diffusion head.')
        cfg.model.diffusion.num_inference_steps = args.steps
    model = init_model(cfg, args.checkpoint)

    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    wrapper = export_onnx(model, args.out, tuple(args.shape), args.opset)
    images = np.random.default_rng(0).uniform(
        0, 40, (3, 3, *args.shape)).astype(np.float32)  # a dark batch of 3
    diff = compare_with_onnxruntime(wrapper, args.out, images)
    size = osp.getsize(args.out) / 2**20
    print(f'{args.out}: {size:.2f} MiB; ONNX Runtime vs PyTorch on a batch '
          f'of 3: max abs difference {diff:.2e} (tolerance '
          f'{args.tolerance:g})')
    if not diff <= args.tolerance:
        raise SystemExit('ONNX Runtime and PyTorch disagree.')


if __name__ == '__main__':
    with torch.no_grad():
        main()
