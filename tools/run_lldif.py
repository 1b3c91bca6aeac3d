"""Train LLDif stage 1, then stage 2 from it, then test once.

The default needs no download: it trains the CPU-size model on SynthFER
(procedurally drawn faces, written to data/synthfer on first use) darkened
by the ll-v1 protocol. On real data, the shipped recipe (its stage 1 reads
the LA-CLIP that stage 0 pretrains):

    python tools/run_lldif.py                                   # SynthFER
    python tools/train.py configs/laclip/laclip_fer2013_cpu.py \\
        --data-root ../shared/datasets/fer2013                  # stage 0
    python tools/run_lldif.py --data-root ../shared/datasets/fer2013 \\
        --stage1 configs/lldif/lldif_stage1_ll-fer2013_cpu.py \\
        --stage2 configs/lldif/lldif_stage2_ll-fer2013_cpu.py

Stage 2 is selected on the validation split (best checkpoint) and reported
once on the test split.
"""
import argparse
import os.path as osp
import time

from mmengine.config import Config, DictAction

import mmlldif  # noqa: F401
from mmlldif.apis.two_stage import test_best, train_two_stage
from mmlldif.datasets.synthfer import make_synthfer
from mmlldif.utils import launch
from mmlldif.utils.threads import apply_thread_policy

SYNTHFER_ROOT = 'data/synthfer'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--stage1', default='configs/lldif/stage1_synthfer_cpu.py')
    parser.add_argument(
        '--stage2', default='configs/lldif/stage2_synthfer_cpu.py')
    parser.add_argument('--data-root', help='dataset root for both stages')
    parser.add_argument('--work-dir', default='work_dirs/lldif_two_stage')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='overrides applied to both stages, e.g. train_cfg.max_epochs=2')
    return parser.parse_args()


def load_cfg(path, args, stage):
    cfg = Config.fromfile(path)
    cfg.work_dir = osp.join(args.work_dir, stage)
    cfg.experiment_name = f'{stage}_{time.strftime("%Y%m%d_%H%M%S")}'
    if args.data_root:
        launch.set_data_root(cfg, args.data_root)
    launch.merge_cfg_options(cfg, args.cfg_options)
    launch.set_dataloader_defaults(cfg)
    return cfg


def ensure_synthfer(cfg):
    """Write SynthFER on first use when a config points at it."""
    root = cfg.train_dataloader.dataset.data_root
    if osp.normpath(root) == osp.normpath(SYNTHFER_ROOT) and not osp.isdir(
            root):
        counts = make_synthfer(root)
        print(f'Wrote SynthFER to {root}: {counts}')


def main():
    args = parse_args()
    cfg1 = load_cfg(args.stage1, args, 'stage1')
    ensure_synthfer(cfg1)
    cfg2 = load_cfg(args.stage2, args, 'stage2')
    with launch.errors_as_messages():
        stage1 = train_two_stage(cfg1, cfg2)
        metrics = test_best(cfg2)

    dataset = cfg2.test_dataloader.dataset
    oracle = stage1['stage1_val_accuracy']
    print('\nLLDif two-stage result')
    print(f'  data:          {dataset.type} at {dataset.data_root} (ll-v1)')
    print(f'  checkpoint:    {metrics["checkpoint"]}')
    if oracle is not None:
        print('  stage-1 oracle val accuracy (label-aware prior): '
              f'{oracle:.2f}')
    print(f'  stage-2 test accuracy:             '
          f'{metrics["accuracy/top1"]:.2f}')
    print(f'  stage-2 test mean class accuracy:  '
          f'{metrics["single-label/recall"]:.2f}')


if __name__ == '__main__':
    apply_thread_policy()
    main()
