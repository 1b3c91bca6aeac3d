"""Accuracy against inference latency of trained models: a table and a
picture of the front (no other model both faster and more accurate).

    python tools/analysis_tools/accuracy_latency.py MODELS.json \\
        --out docs/results/accuracy_latency

MODELS.json lists ``{"name": ..., "accuracy": ..., "configs": [...]}``
(several configs: an ensemble, timed as their sum). Latency is measured
on untrained models of the configs (the same computation as trained
ones), each in a fresh process, at batch 1 and at batch 64;
``--timings OUT.json`` of an earlier run reuses its latencies for models
of the same configs (new accuracies, no new timing). Prints Markdown;
writes ``OUT.md``, ``OUT.json`` and ``OUT.png``.
"""
import argparse
import json
import os
import os.path as osp

from mmlldif.evaluation.latency_front import (model_latency, pareto_front,
                                              plot_front)
from mmlldif.utils.threads import apply_thread_policy


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('models', help='JSON list of the models')
    parser.add_argument('--out', required=True, help='output path stem')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument(
        '--title', default='LL-FER2013: accuracy against latency')
    parser.add_argument(
        '--timings',
        help='OUT.json of an earlier run: reuse its latencies for models '
        'of the same configs; time only the others')
    args = parser.parse_args()
    with open(args.models) as f:
        rows = json.load(f)
    timed_before = {}
    if args.timings:
        with open(args.timings) as f:
            timed_before = {tuple(r['configs']): r for r in json.load(f)}
    for row in rows:
        before = timed_before.get(tuple(row['configs']))
        if before:
            row.update(ms_batch1=before['ms_batch1'],
                       ms_batch64=before['ms_batch64'])
            continue
        for batch, key in ((1, 'ms_batch1'), (64, 'ms_batch64')):
            row[key] = model_latency(row['configs'], batch, args.threads,
                                     args.iters if batch > 1 else
                                     5 * args.iters)
        print(f'{row["name"]}: {row["ms_batch1"]:.2f} ms, '
              f'{1000 / row["ms_batch64"]:.0f} img/s at 64', flush=True)
    fronts = pareto_front([(r['ms_batch1'], r['accuracy']) for r in rows])
    for row, front in zip(rows, fronts):
        row['front'] = front
    lines = [
        '| model | test accuracy | ms / image, batch 1 | img/s, batch 1 | '
        'img/s, batch 64 | on the front |', '|---|---|---|---|---|---|'
    ]
    for row in sorted(rows, key=lambda r: r['ms_batch1']):
        lines.append(
            f'| {row["name"]} | {row["accuracy"]:.2f} | '
            f'{row["ms_batch1"]:.2f} | {1000 / row["ms_batch1"]:.0f} | '
            f'{1000 / row["ms_batch64"]:.0f} | '
            f'{"yes" if row["front"] else ""} |')
    table = '\n'.join(lines)
    print(table)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out + '.md', 'w') as f:
        f.write(table + '\n')
    with open(args.out + '.json', 'w') as f:
        json.dump(rows, f, indent=2)
    plot_front(rows, args.out + '.png', args.title)
    print(f'-> {args.out}.md, .json, .png')


if __name__ == '__main__':
    apply_thread_policy()
    main()
