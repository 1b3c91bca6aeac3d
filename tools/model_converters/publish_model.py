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
import os.path as osp

from mmlldif.apis.model_zoo import publish_checkpoint
from mmlldif.utils import CorruptCheckpointError


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


def main():
    args = parse_args()
    if not osp.isfile(args.in_file):
        raise SystemExit(f'Checkpoint file not found: {args.in_file}')
    try:
        final = publish_checkpoint(args.in_file, args.out_file,
                                   args.inference_only)
    except (ValueError, CorruptCheckpointError) as e:
        raise SystemExit(str(e))
    size = osp.getsize(final) / 2**20
    print(f'{final}: {size:.1f} MiB (from {args.in_file}, '
          f'{osp.getsize(args.in_file) / 2**20:.1f} MiB)')


if __name__ == '__main__':
    main()
