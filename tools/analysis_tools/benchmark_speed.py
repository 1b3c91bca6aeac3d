"""Speed, memory, parameters and FLOPs of the models compared in
docs/results.md, at one input size, on the CPU (or a GPU with --device).

    python tools/analysis_tools/benchmark_speed.py --threads 2

Each model is measured in a fresh process, so the peak resident memory
(CPU) or peak allocated memory (GPU) is its own; speeds use the median
batch time, so a stall of a shared machine does not move them. Prints a
Markdown table.
"""
import argparse
import multiprocessing as mp
import os.path as osp
import resource
import statistics
import time

import torch
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MODELS = [
    ('ResNet-18 (mmpretrain)',
     'configs/baselines/resnet18_ll-fer2013_cpu.py', {}),
    ('LLformer, no prior', 'configs/baselines/llformer_ll-fer2013_cpu.py',
     {}),
    ('LLformer-small, stem stride 1, no prior',
     'configs/baselines/llformer-small-stride1_ll-fer2013_cpu.py', {}),
    ('LLformer-tiny, stem stride 1, no prior',
     'configs/baselines/llformer-tiny-stride1_ll-fer2013_cpu.py', {}),
    ('LLDif stage 2, T=1', 'configs/lldif/stage2_fer2013_cpu.py',
     dict(steps=1)),
    ('LLDif stage 2, T=2', 'configs/lldif/stage2_fer2013_cpu.py',
     dict(steps=2)),
    ('LLDif stage 2, T=4', 'configs/lldif/stage2_fer2013_cpu.py',
     dict(steps=4)),
    ('LLDif stage 2, T=8 (trained with 8)',
     'configs/lldif/stage2_fer2013_cpu.py', dict(steps=8, train_steps=8)),
    ('LLDif stage 2, T=4, larger prior path',
     'configs/lldif/ablations/stage2_prior-path-large_fer2013_cpu.py', {}),
]
SPECS = {name: (config, opts) for name, config, opts in MODELS}
OVERHEAD = ('LLDif stage 2, T=4',
            'LLDif stage 2, T=4, larger prior path')
WARMUP = 2  # untimed calls before the timed ones


def build(config, opts):
    from mmlldif.registry import MODELS as REG
    from mmlldif.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(osp.join(REPO, config))
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


def timed(step, device):
    """Seconds one call of ``step`` takes (the GPU synchronised)."""
    if device.type == 'cuda':
        torch.cuda.synchronize()
    start = time.perf_counter()
    step()
    if device.type == 'cuda':
        torch.cuda.synchronize()
    return time.perf_counter() - start


def prepare(args):
    """Threads and seed of a measuring process; its device and input batch
    (B, 3, size, size)."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    return device, torch.rand(
        args.batch, 3, args.size, args.size, device=device)


def measure(args, config, opts, queue):
    device, x = prepare(args)
    model = build(config, opts).to(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    infer_params = sum(
        p.numel() for n, p in model.named_parameters()
        if not n.startswith(('la_clip.', 'prior_net.')))
    flops = count_flops(model.eval(), args.size, device)

    def images_per_s(step):
        """Batch size over the median time of ``args.iters`` timed calls
        (after the warm-up): robust to stalls of a shared machine."""
        times = [timed(step, device) for _ in range(WARMUP + args.iters)]
        return args.batch / statistics.median(times[WARMUP:])

    with torch.no_grad():
        infer = images_per_s(lambda: model(x, mode='tensor'))

    from mmpretrain.structures import DataSample
    samples = [
        DataSample().set_gt_label(i % 7).to(device) for i in range(args.batch)
    ]
    model.train()
    optim = torch.optim.AdamW(trainable, lr=1e-4)

    def train_step():
        losses = model(x, samples, mode='loss')
        optim.zero_grad()
        sum(losses.values()).backward()
        optim.step()

    train = images_per_s(train_step)
    if device.type == 'cuda':
        peak = torch.cuda.max_memory_allocated() / 2**20
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((infer_params / 1e6, flops / 1e9, infer, train, peak))


def measure_overhead(args, name, queue):
    """Inference time of the LLDif model ``name`` over LLformer's (the
    latency target), and of its parts: the condition network, the
    diffusion head, and the prior modulation of the backbone (backbone and
    head under Z, less LLformer's time). Each is the median ratio to
    LLformer's time, the calls made in turn on the same batch in one
    process, so that the machine's speed changes over time cancel out.
    Puts ``{part: overhead}``, 0.1 for +10%."""
    device, x = prepare(args)
    llformer, lldif = (
        build(*SPECS[n]).to(device).eval()
        for n in ('LLformer, no prior', name))
    with torch.no_grad():
        cond = lldif.condition_net(x)
        prior = lldif.diffusion.sample(cond)
        # part: (call, whether LLformer's own time is taken off)
        calls = {
            'total': (lambda: lldif(x, mode='tensor'), True),
            'condition net': (lambda: lldif.condition_net(x), False),
            'diffusion head': (lambda: lldif.diffusion.sample(cond), False),
            'prior modulation':
            (lambda: lldif.head(lldif.extract_feat(x, prior)), True),
        }
        base, times = [], {part: [] for part in calls}
        for _ in range(WARMUP + 2 * args.iters):
            base.append(timed(lambda: llformer(x, mode='tensor'), device))
            for part, (call, _) in calls.items():
                times[part].append(timed(call, device))
    queue.put({
        part: statistics.median(
            t / b for b, t in zip(base[WARMUP:], times[part][WARMUP:])) -
        less_base
        for part, (_, less_base) in calls.items()
    })


def in_own_process(target, *args):
    """What ``target(*args, queue)`` puts in its queue, run in a fresh
    process (its own peak memory, no state left from earlier models)."""
    ctx = mp.get_context('spawn')
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def print_table(args):
    """One row per model of ``MODELS``, each measured in its own
    process."""
    print('| model | params (M, inference) | GFLOPs / image | infer img/s '
          '| train img/s | peak memory (MiB) |')
    print('|---|---|---|---|---|---|')
    for name, config, opts in MODELS:
        result = in_own_process(measure, args, config, opts)
        print(f'| {name} | {result[0]:.2f} | {result[1]:.3f} | '
              f'{result[2]:.0f} | {result[3]:.0f} | {result[4]:.0f} |',
              flush=True)
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--size', type=int, default=48)
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument(
        '--iters', type=int, default=10, help='timed batches per figure')
    parser.add_argument(
        '--overhead-only',
        action='store_true',
        help='skip the table; measure only the paired overhead of LLDif '
        'over LLformer (the latency target), e.g. to repeat it')
    args = parser.parse_args()

    print(f'device {args.device}, {args.threads} threads, input '
          f'{args.size}x{args.size}, batch {args.batch}\n')
    if not args.overhead_only:
        print_table(args)
    print('Inference time over LLformer alone, the two called in turn '
          '(target: <= 10% at T=4, condition network included):')
    for name in OVERHEAD:
        total, *parts = in_own_process(measure_overhead, args, name).items()
        print(f'- {name}: {100 * total[1]:+.1f}% (' + ', '.join(
            f'{part} {100 * value:+.1f}%' for part, value in parts) + ')')


if __name__ == '__main__':
    main()
