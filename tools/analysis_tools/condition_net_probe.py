"""Can LLDif's condition network recognise expressions on its own?

Trains ``ConditionNet`` + a linear classifier with cross-entropy on LL
FER2013 training faces (the LL-FER2013 training pipeline and data
preprocessor), then reports accuracy on validation faces. Stage 2 can only
be as good as what its condition network learns to see, so this is the
quick check behind ConditionNet's normalisation (docs/method.md):

    python tools/analysis_tools/condition_net_probe.py --norm none BN GN
"""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.dataset import default_collate
from torch.utils.data import DataLoader, Subset

from mmlldif.models import ConditionNet
from mmlldif.registry import DATASETS, MODELS
from mmlldif.utils import launch, register_all_modules

NORMS = {'none': None, 'BN': dict(type='BN'), 'GN': dict(type='GN',
                                                         num_groups=8)}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data-root', default='../shared/datasets/fer2013')
    parser.add_argument(
        '--config', default='configs/baselines/llformer_ll-fer2013_cpu.py',
        help='config whose LL-FER2013 train/val pipelines are used')
    parser.add_argument('--norm', nargs='+', default=['none', 'BN'],
                        choices=list(NORMS))
    parser.add_argument('--channels', type=int, default=32)
    parser.add_argument('--num-blocks', type=int, default=2)
    parser.add_argument('--downscale', type=int, default=4)
    parser.add_argument('--cond-dim', type=int, default=64)
    parser.add_argument('--train-images', type=int, default=4000)
    parser.add_argument('--val-images', type=int, default=1000)
    parser.add_argument('--iters', type=int, default=400)
    parser.add_argument('--lr', type=float, default=2e-3)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, default=2)
    return parser.parse_args()


def loader(cfg, split, size, shuffle, seed):
    dataset = DATASETS.build(cfg[f'{split}_dataloader'].dataset)
    idx = np.random.default_rng(seed).choice(len(dataset), size, False)
    return DataLoader(Subset(dataset, idx), batch_size=64, shuffle=shuffle,
                      collate_fn=default_collate, num_workers=1)


def probe(norm, args, cfg):
    torch.manual_seed(args.seed)
    preprocessor = MODELS.build(dict(type='LowLightDataPreprocessor'))
    net = ConditionNet(args.cond_dim, channels=args.channels,
                       num_blocks=args.num_blocks, downscale=args.downscale,
                       norm_cfg=NORMS[norm])
    model = nn.Sequential(net, nn.LeakyReLU(0.1), nn.Linear(args.cond_dim,
                                                            cfg.num_classes))
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr,
                                  weight_decay=0.05)
    train = loader(cfg, 'train', args.train_images, True, args.seed)
    it, losses = 0, []
    while it < args.iters:
        for batch in train:
            data = preprocessor(batch, True)
            labels = torch.cat([s.gt_label for s in data['data_samples']])
            for group in optimizer.param_groups:  # 60 warm-up iterations
                group['lr'] = args.lr * min(1.0, (it + 1) / 60)
            loss = F.cross_entropy(model(data['inputs']), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            it += 1
            if it == args.iters:
                break
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for batch in loader(cfg, 'val', args.val_images, False, args.seed):
            data = preprocessor(batch, False)
            labels = torch.cat([s.gt_label for s in data['data_samples']])
            correct += (model(data['inputs']).argmax(1) == labels).sum()
            total += len(labels)
    return np.mean(losses[-50:]), 100.0 * correct.item() / total


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    register_all_modules()
    cfg = Config.fromfile(args.config)
    launch.set_data_root(cfg, args.data_root)
    print('| norm | train loss (last 50 it) | val accuracy |')
    print('|---|---|---|')
    for norm in args.norm:
        loss, acc = probe(norm, args, cfg)
        print(f'| {norm} | {loss:.3f} | {acc:.1f} |', flush=True)


if __name__ == '__main__':
    main()
