"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT``."""
import argparse
import os.path as osp

from mmengine.config import Config

import mmlldif  # noqa: F401  (fails early and clearly if not installed)
from mmlldif.apis.two_stage import test_checkpoint
from mmlldif.utils import launch
from mmlldif.utils.threads import apply_thread_policy


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='the dir to save logs')
    parser.add_argument(
        '--data-root', help='dataset root for the test dataloader')
    parser.add_argument(
        '--out', help='dump the predictions to this pickle file')
    parser.add_argument(
        '--show-dir', help='save images with predictions to this dir')
    launch.add_common_args(parser)
    args = parser.parse_args()
    launch.ensure_local_rank(args.local_rank)
    return args


def merge_args(cfg, args):
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'Checkpoint file not found: {args.checkpoint}')
    launch.set_work_dir(cfg, args.config, args.work_dir)
    cfg.load_from = args.checkpoint
    if args.data_root:
        launch.set_data_root(cfg, args.data_root)
    if args.show_dir:
        vis = cfg.default_hooks.setdefault('visualization',
                                           dict(type='VisualizationHook'))
        vis.enable = True
        vis.out_dir = args.show_dir
    if args.out:
        cfg.test_evaluator = list(
            cfg.test_evaluator if isinstance(cfg.test_evaluator, (
                list, tuple)) else [cfg.test_evaluator])
        cfg.test_evaluator.append(
            dict(type='DumpResults', out_file_path=args.out))
    launch.merge_cfg_options(cfg, args.cfg_options)
    launch.set_dataloader_defaults(cfg)
    launch.setup_distributed(cfg, args.launcher)
    return cfg


def main():
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    with launch.errors_as_messages():
        test_checkpoint(cfg, args.checkpoint)


if __name__ == '__main__':
    apply_thread_policy()
    main()
