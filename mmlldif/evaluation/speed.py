"""Speed, memory, parameters and FLOPs of the models compared in
docs/results.md, and the latency of LLDif's prior path over LLformer's
(``tools/analysis_tools/benchmark_speed.py`` is the command line).

Speeds are medians of timed batches, so that a stall of a shared machine
does not move them; each figure is measured in a fresh process
(:func:`in_own_process`), so that the peak memory is the model's own.
"""
import multiprocessing as mp
import os.path as osp
import resource
import statistics
import time
from dataclasses import dataclass

import torch
from mmengine.config import Config

#: the first CPU recipe's stage 2 (the shipped one has its architecture)
FIRST_STAGE2 = 'configs/lldif/ablations/stage2_fer2013_cpu.py'
#: (title, config under the package's configs root, options)
SPEED_MODELS = [
    ('ResNet-18 (mmpretrain)',
     'configs/baselines/resnet18_ll-fer2013_cpu.py', {}),
    ('LLformer, no prior', 'configs/baselines/llformer_ll-fer2013_cpu.py',
     {}),
    ('LLformer-small, stem stride 1, no prior',
     'configs/baselines/llformer-small-stride1_ll-fer2013_cpu.py', {}),
    ('LLformer-tiny, stem stride 1, no prior',
     'configs/baselines/llformer-tiny-stride1_ll-fer2013_cpu.py', {}),
    ('LLDif stage 2, T=1', FIRST_STAGE2, dict(steps=1)),
    ('LLDif stage 2, T=2', FIRST_STAGE2, dict(steps=2)),
    ('LLDif stage 2, T=4', FIRST_STAGE2, dict(steps=4)),
    ('LLDif stage 2, T=8 (trained with 8)', FIRST_STAGE2,
     dict(steps=8, train_steps=8)),
    ('LLDif stage 2, T=4, larger prior path',
     'configs/lldif/ablations/stage2_prior-path-large_fer2013_cpu.py', {}),
    ('LLDif stage 2, T=4, condition net without residual blocks',
     'configs/lldif/ablations/'
     'stage2_pretrained-laclip_kd_cond-no-blocks_fer2013_cpu.py', {}),
]
SPECS = {name: (config, opts) for name, config, opts in SPEED_MODELS}
#: the LLDif models whose prior path is timed against LLformer's
OVERHEAD_MODELS = ('LLDif stage 2, T=4',
                   'LLDif stage 2, T=4, larger prior path',
                   'LLDif stage 2, T=4, condition net without residual blocks')
WARMUP = 2  # untimed calls before the timed ones


@dataclass
class SpeedSettings:
    """Args:
        device (str): ``cpu`` or a GPU.
        threads (int): Torch's CPU threads.
        size (int): Input height and width.
        batch (int): Images a call.
        iters (int): Timed calls per figure (after 2 untimed).
    """
    device: str = 'cpu'
    threads: int = 2
    size: int = 48
    batch: int = 64
    iters: int = 10


def build(name: str) -> torch.nn.Module:
    """The untrained model of ``SPEED_MODELS`` called ``name``."""
    from mmlldif.apis.model_zoo import zoo_root
    from mmlldif.registry import MODELS
    from mmlldif.utils import register_all_modules
    register_all_modules()
    config, opts = SPECS[name]
    cfg = Config.fromfile(osp.join(zoo_root(), config))
    if 'train_steps' in opts:
        cfg.model.diffusion.num_timesteps = opts['train_steps']
    if 'steps' in opts:
        cfg.model.diffusion.num_inference_steps = opts['steps']
    return MODELS.build(cfg.model)


def count_flops(model: torch.nn.Module, size: int, device) -> int:
    """FLOPs of ``model``'s prediction of one (1, 3, size, size) image."""
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


def timed(step, device) -> float:
    """Seconds one call of ``step`` takes (the GPU synchronised)."""
    if device.type == 'cuda':
        torch.cuda.synchronize()
    start = time.perf_counter()
    step()
    if device.type == 'cuda':
        torch.cuda.synchronize()
    return time.perf_counter() - start


def prepare(settings: SpeedSettings):
    """Threads and seed of a measuring process; its device and input batch
    (B, 3, size, size)."""
    torch.set_num_threads(settings.threads)
    torch.manual_seed(0)
    device = torch.device(settings.device)
    return device, torch.rand(
        settings.batch, 3, settings.size, settings.size, device=device)


def measure(settings: SpeedSettings, name: str) -> tuple:
    """Inference parameters (M, without the training-only LA-CLIP and
    PriorNet), GFLOPs an image, inference and training images/s, and peak
    memory (MiB: resident on the CPU, allocated on a GPU) of ``name``."""
    device, x = prepare(settings)
    model = build(name).to(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    infer_params = sum(
        p.numel() for n, p in model.named_parameters()
        if not n.startswith(('la_clip.', 'prior_net.')))
    flops = count_flops(model.eval(), settings.size, device)

    def images_per_s(step):
        times = [timed(step, device) for _ in range(WARMUP + settings.iters)]
        return settings.batch / statistics.median(times[WARMUP:])

    with torch.no_grad():
        infer = images_per_s(lambda: model(x, mode='tensor'))

    from mmpretrain.structures import DataSample
    samples = [
        DataSample().set_gt_label(i % 7).to(device)
        for i in range(settings.batch)
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
    return infer_params / 1e6, flops / 1e9, infer, train, peak


def measure_overhead(settings: SpeedSettings, name: str) -> dict:
    """Inference time of the LLDif model ``name`` over LLformer's (the
    latency target), and of its parts: the condition network, the
    diffusion head, and the prior modulation of the backbone (backbone and
    head under Z, less LLformer's time).

    Each is the median ratio to LLformer's time, the calls made in turn on
    the same batch in one process, so that the machine's speed changes
    over time cancel out.

    Returns:
        dict: ``{part: overhead}``, 0.1 for +10%; parts ``total``,
            ``condition net``, ``diffusion head``, ``prior modulation``.
    """
    device, x = prepare(settings)
    llformer, lldif = (
        build(n).to(device).eval() for n in ('LLformer, no prior', name))
    with torch.no_grad():
        cond = lldif.condition(x)
        prior = lldif.diffusion.sample(cond)
        # part: (call, whether LLformer's own time is taken off)
        calls = {
            'total': (lambda: lldif(x, mode='tensor'), True),
            'condition net': (lambda: lldif.condition(x), False),
            'diffusion head': (lambda: lldif.diffusion.sample(cond), False),
            'prior modulation':
            (lambda: lldif.head(lldif.extract_feat(x, prior)), True),
        }
        base, times = [], {part: [] for part in calls}
        for _ in range(WARMUP + 2 * settings.iters):
            base.append(timed(lambda: llformer(x, mode='tensor'), device))
            for part, (call, _) in calls.items():
                times[part].append(timed(call, device))
    return {
        part: statistics.median(
            t / b for b, t in zip(base[WARMUP:], times[part][WARMUP:])) -
        less_base
        for part, (_, less_base) in calls.items()
    }


def _put(queue, target, *args):
    queue.put(target(*args))


def in_own_process(target, *args):
    """``target(*args)``, run in a fresh process (its own peak memory, no
    state left from earlier models)."""
    ctx = mp.get_context('spawn')
    queue = ctx.Queue()
    proc = ctx.Process(target=_put, args=(queue, target, *args))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def speed_table(settings: SpeedSettings) -> str:
    """A Markdown table, one row per model of ``SPEED_MODELS``, each
    measured in its own process."""
    lines = [
        '| model | params (M, inference) | GFLOPs / image | infer img/s '
        '| train img/s | peak memory (MiB) |', '|---|---|---|---|---|---|'
    ]
    for name, _, _ in SPEED_MODELS:
        params, gflops, infer, train, peak = in_own_process(
            measure, settings, name)
        lines.append(f'| {name} | {params:.2f} | {gflops:.3f} | {infer:.0f} '
                     f'| {train:.0f} | {peak:.0f} |')
    return '\n'.join(lines)


def overhead_line(settings: SpeedSettings, name: str, runs: int = 1) -> str:
    """``name``'s latency over LLformer and its parts, in percent: the
    median of ``runs`` measurements, each in a fresh process (on a shared
    machine one run moves by several points), with their range."""
    figures = [
        in_own_process(measure_overhead, settings, name) for _ in range(runs)
    ]
    total, *parts = ((part, 100 * statistics.median(f[part] for f in figures))
                     for part in figures[0])
    totals = [100 * f['total'] for f in figures]
    spread = '' if runs == 1 else (f'median of {runs} runs, {min(totals):+.1f}'
                                   f' to {max(totals):+.1f}%; ')
    return f'- {name}: {total[1]:+.1f}% (' + spread + ', '.join(
        f'{part} {value:+.1f}%' for part, value in parts) + ')'
