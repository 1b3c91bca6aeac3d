"""Training-step time under each CPU thread policy, alone and two side by
side (``mmlldif.utils.threads``).

    python tools/analysis_tools/benchmark_threads.py --iters 20 --rounds 3

Each figure is the median time of a forward + backward + AdamW step of the
CPU LLformer classifier at batch 64 on random 48x48 faces, in a fresh
process whose OpenMP variables are the policy's. "Side by side" starts two
such processes at once and reports the slower one's median. The policies
take turns, round after round, so that a machine's drift falls on all of
them; the table gives the median over rounds. Prints Markdown.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from mmlldif.utils.threads import OPENMP_KEYS, THREAD_POLICIES

CONFIG = 'configs/baselines/llformer_ll-fer2013_cpu.py'


def step_times(config: str, batch: int, iters: int) -> list:
    """Seconds of each of ``iters`` training steps (after 2 untimed)."""
    import torch
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmpretrain.structures import DataSample

    from mmlldif.registry import MODELS
    from mmlldif.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model).train()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    torch.manual_seed(0)
    inputs = torch.randn(batch, 3, 48, 48)
    samples = [
        DataSample().set_gt_label(i % cfg.model.head.num_classes)
        for i in range(batch)
    ]
    times = []
    for _ in range(iters + 2):
        start = time.perf_counter()
        optim.update_params(model.parse_losses(model.loss(inputs,
                                                          samples))[0])
        times.append(time.perf_counter() - start)
    return times[2:]


def run_workers(policy: str, count: int, args) -> float:
    """The slowest median step time of ``count`` processes run at once."""
    env = {k: v for k, v in os.environ.items() if k not in OPENMP_KEYS}
    env.update(THREAD_POLICIES[policy])
    cmd = [
        sys.executable, __file__, '--worker', '--config', args.config,
        '--batch',
        str(args.batch), '--iters',
        str(args.iters)
    ]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(count)
    ]
    medians = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode:
            raise RuntimeError(f'worker of policy {policy} failed')
        medians.append(statistics.median(json.loads(out.splitlines()[-1])))
    return max(medians)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', default=CONFIG)
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument(
        '--policies',
        nargs='+',
        default=list(THREAD_POLICIES),
        choices=list(THREAD_POLICIES))
    parser.add_argument(
        '--worker', action='store_true', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(step_times(args.config, args.batch, args.iters)))
        return
    print(f'{args.config}, batch {args.batch}, median of {args.iters} '
          f'steps, median of {args.rounds} rounds, {os.cpu_count()} cores\n')
    alone = {policy: [] for policy in args.policies}
    pair = {policy: [] for policy in args.policies}
    for _ in range(args.rounds):
        for policy in args.policies:
            alone[policy].append(run_workers(policy, 1, args))
            pair[policy].append(run_workers(policy, 2, args))
    print('| policy | variables | alone (s/step) | two side by side '
          '(s/step, slower) | side by side / alone | alone / first alone |')
    print('|---|---|---|---|---|---|')
    base = statistics.median(alone[args.policies[0]])
    for policy in args.policies:
        one, two = statistics.median(alone[policy]), statistics.median(
            pair[policy])
        variables = ' '.join(f'{k}={v}'
                             for k, v in THREAD_POLICIES[policy].items())
        print(f'| {policy} | {variables or "(defaults)"} | {one:.3f} | '
              f'{two:.3f} | {two / one:.2f}x | {one / base:.2f}x |')


if __name__ == '__main__':
    main()
