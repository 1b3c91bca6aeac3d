"""Speed, memory, parameters and FLOPs of the models compared in
docs/results.md, at one input size, on the CPU (or a GPU with --device),
and the latency of LLDif's prior path over LLformer's.

    python tools/analysis_tools/benchmark_speed.py --threads 2

Each model is measured in a fresh process (``mmlldif.evaluation.speed``).
Prints Markdown.
"""
import argparse

from mmlldif.evaluation.speed import (OVERHEAD_MODELS, SpeedSettings,
                                      overhead_line, speed_table)


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
    parser.add_argument(
        '--runs',
        type=int,
        default=1,
        help='measure the overhead this many times (a fresh process '
        'each) and print the median and range')
    args = parser.parse_args()
    settings = SpeedSettings(args.device, args.threads, args.size,
                             args.batch, args.iters)

    print(f'device {args.device}, {args.threads} threads, input '
          f'{args.size}x{args.size}, batch {args.batch}\n')
    if not args.overhead_only:
        print(speed_table(settings) + '\n', flush=True)
    print('Inference time over LLformer alone, the two called in turn '
          '(target: <= 10% at T=4, condition network included):')
    for name in OVERHEAD_MODELS:
        print(overhead_line(settings, name, args.runs), flush=True)


if __name__ == '__main__':
    main()
