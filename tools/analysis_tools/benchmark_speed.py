"""Speed, memory, parameters and FLOPs of the models compared in
docs/results.md, at one input size, on the CPU (or a GPU with --device).

    python tools/analysis_tools/benchmark_speed.py --threads 2

Each model is measured in a fresh process, so the peak resident memory
(CPU) or peak allocated memory (GPU) is its own. Prints a Markdown table.
"""
import argparse
import multiprocessing as mp
import resource
import time

import torch
from mmengine.config import Config

MODELS = [
    ('ResNet-18 (mmpretrain)',
     'configs/baselines/resnet18_ll-fer2013_cpu.py', {}),
    ('LLformer-tiny, no prior', 'configs/baselines/llformer_ll-fer2013_cpu.py',
     {}),
    ('LLformer-small, no prior',
     'configs/baselines/llformer-small_ll-fer2013_cpu.py', {}),
    ('LLDif stage 2, T=1', 'configs/lldif/stage2_fer2013_cpu.py',
     dict(steps=1)),
    ('LLDif stage 2, T=2', 'configs/lldif/stage2_fer2013_cpu.py',
     dict(steps=2)),
    ('LLDif stage 2, T=4', 'configs/lldif/stage2_fer2013_cpu.py',
     dict(steps=4)),
    ('LLDif stage 2, T=8 (trained with 8)',
     'configs/lldif/stage2_fer2013_cpu.py', dict(steps=8, train_steps=8)),
]


def build(config, opts):
    from mmlldif.registry import MODELS as REG
    from mmlldif.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(config)
    if 'train_steps' in opts:
        cfg.model.diffusion.num_timesteps = opts['train_steps']
    if 'steps' in opts:
        cfg.model.diffusion.num_inference_steps = opts['steps']
    return REG.build(cfg.model)


def count_flops(model, size, device):
    from mmengine.analysis import FlopAnalyzer
    x = torch.rand(1, 3, size, size, device=device)

    class Predict(torch.nn.Module):

        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            return self.m(x, mode='tensor')

    analyzer = FlopAnalyzer(Predict(model), (x, ))
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    return analyzer.total()


def measure(args, config, opts, queue):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    model = build(config, opts).to(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    infer_params = sum(
        p.numel() for n, p in model.named_parameters()
        if not n.startswith(('la_clip.', 'prior_net.')))
    flops = count_flops(model.eval(), args.size, device)
    x = torch.rand(args.batch, 3, args.size, args.size, device=device)

    def sync():
        if device.type == 'cuda':
            torch.cuda.synchronize()

    with torch.no_grad():
        for _ in range(2):
            model(x, mode='tensor')
        sync()
        start = time.perf_counter()
        for _ in range(args.iters):
            model(x, mode='tensor')
        sync()
        infer = args.batch * args.iters / (time.perf_counter() - start)

    from mmpretrain.structures import DataSample
    samples = [
        DataSample().set_gt_label(i % 7).to(device) for i in range(args.batch)
    ]
    model.train()
    optim = torch.optim.AdamW(trainable, lr=1e-4)
    for i in range(args.iters + 1):
        if i == 1:
            sync()
            start = time.perf_counter()
        losses = model(x, samples, mode='loss')
        optim.zero_grad()
        sum(losses.values()).backward()
        optim.step()
    sync()
    train = args.batch * args.iters / (time.perf_counter() - start)
    if device.type == 'cuda':
        peak = torch.cuda.max_memory_allocated() / 2**20
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((infer_params / 1e6, flops / 1e9, infer, train, peak))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--size', type=int, default=48)
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--iters', type=int, default=5)
    args = parser.parse_args()

    ctx = mp.get_context('spawn')
    print(f'device {args.device}, {args.threads} threads, input '
          f'{args.size}x{args.size}, batch {args.batch}\n')
    print('| model | params (M, inference) | GFLOPs / image | infer img/s '
          '| train img/s | peak memory (MiB) |')
    print('|---|---|---|---|---|---|')
    rows = {}
    for name, config, opts in MODELS:
        queue = ctx.Queue()
        proc = ctx.Process(target=measure, args=(args, config, opts, queue))
        proc.start()
        result = queue.get()
        proc.join()
        rows[name] = result
        print(f'| {name} | {result[0]:.2f} | {result[1]:.3f} | '
              f'{result[2]:.0f} | {result[3]:.0f} | {result[4]:.0f} |',
              flush=True)
    base = rows['LLformer-tiny, no prior'][2]
    t4 = rows['LLDif stage 2, T=4'][2]
    overhead = (base / t4 - 1) * 100
    print('\nLLDif (T=4) inference time over LLformer alone: '
          f'{overhead:+.1f}% '
          '(target: <= 10%, which includes the condition network)')


if __name__ == '__main__':
    main()
