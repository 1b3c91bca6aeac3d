"""Prepare a trained checkpoint for release.

Keeps the weights and the meta (class names, the training config), drops
the optimizer and runner state, and names the file after its SHA-256 as
OpenMMLab model zoos do. ``--inference-only`` also drops the weights that
prediction does not use (``TRAINING_ONLY`` of the model class: LLDif stage
2's frozen stage-1 teacher, LA-CLIP + PriorNet, most of a stage-2 file)::

    python tools/model_converters/publish_model.py \\
        work_dirs/stage2_rafdb/best_accuracy_top1_epoch_40.pth \\
        lldif_stage2_rafdb.pth --inference-only
    # -> lldif_stage2_rafdb-1a2b3c4d.pth

``tools/test.py``, ``init_model`` and ``LLDifInferencer`` load such a file;
``prior_ablation.py``, whose teacher mode runs the teacher, needs the full
one.
"""
import argparse
import hashlib
import os
import os.path as osp

import torch
from mmengine.config import Config

import mmlldif  # noqa: F401  (fails early and clearly if not installed)
from mmlldif.registry import MODELS
from mmlldif.utils import load_checkpoint_file, register_all_modules


def parse_args():
    parser = argparse.ArgumentParser(
        description='Process a checkpoint to be published')
    parser.add_argument('in_file', help='input checkpoint')
    parser.add_argument(
        'out_file', help='output name; "-<sha256[:8]>" is added before .pth')
    parser.add_argument(
        '--inference-only',
        action='store_true',
        help='also drop the weights that prediction does not use')
    return parser.parse_args()


def training_only(meta: dict, in_file: str) -> tuple:
    """``TRAINING_ONLY`` of the model class in the checkpoint's config."""
    if 'cfg' not in meta:
        raise SystemExit(f'{in_file}: its meta holds no training config, so '
                         'the model class is unknown; --inference-only needs '
                         'a checkpoint saved by an mmengine Runner.')
    model_type = Config.fromstring(meta['cfg'], '.py').model.type
    register_all_modules(init_default_scope=False)
    return getattr(MODELS.get(model_type), 'TRAINING_ONLY', ())


def publish(in_file: str, out_file: str, inference_only: bool) -> str:
    """Write the release file of ``in_file``; returns its path."""
    ckpt = load_checkpoint_file(in_file, map_location='cpu')
    state, meta = ckpt['state_dict'], dict(ckpt.get('meta') or {})
    if inference_only:
        dropped = training_only(meta, in_file)
        state = {
            k: v
            for k, v in state.items() if k.split('.', 1)[0] not in dropped
        }
        meta['inference_only'] = list(dropped)
    stem = out_file[:-len('.pth')] if out_file.endswith('.pth') else out_file
    part = f'{stem}.pth.part'
    os.makedirs(osp.dirname(osp.abspath(part)), exist_ok=True)
    torch.save(dict(meta=meta, state_dict=state), part)
    with open(part, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    final = f'{stem}-{sha[:8]}.pth'
    os.replace(part, final)
    return final


def main():
    args = parse_args()
    if not osp.isfile(args.in_file):
        raise SystemExit(f'Checkpoint file not found: {args.in_file}')
    final = publish(args.in_file, args.out_file, args.inference_only)
    size = osp.getsize(final) / 2**20
    print(f'{final}: {size:.1f} MiB (from {args.in_file}, '
          f'{osp.getsize(args.in_file) / 2**20:.1f} MiB)')


if __name__ == '__main__':
    main()
