"""Train a model from a config: ``python tools/train.py CONFIG``."""
import argparse

import torch
from mmengine.config import Config

import mmlldif  # noqa: F401  (fails early and clearly if not installed)
from mmlldif.apis.two_stage import train
from mmlldif.datasets import stratified_subset
from mmlldif.utils import launch
from mmlldif.utils.threads import apply_thread_policy


def parse_args():
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--data-root',
        help='dataset root for the train, val and test dataloaders')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint, or, without a value, from the '
        'latest checkpoint in the work dir')
    parser.add_argument(
        '--amp', action='store_true', help='mixed precision (GPU only)')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by actual / base batch size')
    parser.add_argument(
        '--train-subset',
        type=int,
        metavar='N',
        help='train on a class-stratified random subset of about N faces '
        '(every class keeps its share; seed 0), e.g. for a quick run')
    parser.add_argument(
        '--no-pin-memory', action='store_true', help='no pinned memory')
    parser.add_argument(
        '--no-persistent-workers',
        action='store_true',
        help='do not keep val/test dataloader workers between epochs '
        '(training workers start anew each epoch, seeded from it)')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='deterministic algorithms only (torch.use_deterministic_'
        'algorithms, deterministic cuDNN), for bit-exact GPU reruns')
    launch.add_common_args(parser)
    args = parser.parse_args()
    launch.ensure_local_rank(args.local_rank)
    return args


def merge_args(cfg, args):
    """Merge command-line arguments into the config."""
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    launch.set_work_dir(cfg, args.config, args.work_dir)
    if args.amp:
        if not torch.cuda.is_available():
            raise SystemExit('--amp needs a CUDA GPU; none is available.')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.load_from = launch.latest_checkpoint(cfg.work_dir)
        cfg.resume = cfg.load_from is not None
    elif args.resume is not None:
        launch.check_resumable(args.resume)
        cfg.resume = True
        cfg.load_from = args.resume
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if args.deterministic:
        cfg.randomness = dict(cfg.get('randomness', {}), deterministic=True)
    if args.data_root:
        launch.set_data_root(cfg, args.data_root)
    launch.merge_cfg_options(cfg, args.cfg_options)
    if args.train_subset:
        dataset = cfg.train_dataloader.dataset
        dataset.indices, total = stratified_subset(dataset, args.train_subset)
        print(f'--train-subset: {len(dataset.indices)} of {total} faces')
    launch.set_dataloader_defaults(cfg, not args.no_pin_memory,
                                   not args.no_persistent_workers)
    launch.setup_distributed(cfg, args.launcher)
    return cfg


def main():
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    with launch.errors_as_messages():
        train(cfg)


if __name__ == '__main__':
    apply_thread_policy()
    main()
