"""tools/analysis_tools/*.py on tiny SynthFER."""
import csv
import json
import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate

from fixtures import REPO, STAGE2_CPU, make_checkpoint
from mmlldif.apis import init_model
from mmlldif.datasets.synthfer import make_synthfer
from mmlldif.evaluation import darkened_pipeline, prior_ablation, suite_cells
from mmlldif.evaluation.corruption_suite import (cell_transform,
                                                 read_suite_csv)
from mmlldif.registry import DATASETS, TRANSFORMS

LLFORMER = osp.join(REPO, 'configs/baselines/llformer_ll-fer2013_cpu.py')

STAGE1_CPU = osp.join(REPO, 'configs/lldif/ablations/stage1_fer2013_cpu.py')


@pytest.fixture(scope='module')
def synthfer(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthfer'))
    make_synthfer(root, dict(train=1, val=1, test=3))
    return root


def test_levels_darken_as_asked(synthfer):
    test_pipeline = [
        dict(type='LoadFERImage'),
        dict(type='LowLight', protocol='ll-v1', deterministic=True),
        dict(type='Resize', scale=(48, 48)),
    ]
    means = {}
    for level in ('0.02', '0.2', 'normal'):
        dataset = DATASETS.build(
            dict(
                type='FER2013',
                data_root=synthfer,
                split='test',
                pipeline=darkened_pipeline(test_pipeline, level)))
        means[level] = np.mean([dataset[i]['img'].mean() for i in range(7)])
    assert means['0.02'] < means['0.2'] < means['normal']
    inserted = darkened_pipeline(test_pipeline[:1], '0.1')[1]
    assert inserted['darkness'] == (0.1, 0.1)
    with pytest.raises(ValueError, match='darkness 2'):
        darkened_pipeline(test_pipeline, '2')


def test_sweep_writes_csv_and_plot(synthfer, tmp_path):
    models = []
    for name, config in (('LLDif', STAGE2_CPU), ('LLformer', LLFORMER)):
        models += [
            '--model', name, config,
            make_checkpoint(config, str(tmp_path / f'{name}.pth'))
        ]
    out = str(tmp_path / 'sweep')
    proc = subprocess.run([
        sys.executable, 'tools/analysis_tools/darkness_sweep.py', *models,
        '--data-root', synthfer, '--darkness', '0.02', '0.2', 'normal',
        '--num-workers', '0', '--out-dir', out
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(osp.join(out, 'darkness_sweep.csv')) as f:
        rows = list(csv.DictReader(f))
    levels = ('0.02', '0.2', 'normal')
    assert [(r['model'], r['darkness']) for r in rows] == [
        (m, d) for m in ('LLDif', 'LLformer') for d in levels
    ]
    assert all(r['images'] == '21' for r in rows)
    assert {r['protocol'] for r in rows} == {'ll-v1'}
    assert all(0 <= float(r['accuracy']) <= 100 for r in rows)
    assert osp.getsize(osp.join(out, 'darkness_sweep.png')) > 10_000


def test_suite_cells_fix_their_levels_and_switch_on_their_steps():
    cells = suite_cells()
    assert len(cells) == 25 + 4 * 5
    jpeg5 = next(c for c in cells
                 if (c['condition'], c['severity']) == ('jpeg', '5'))
    t = TRANSFORMS.build(cell_transform(jpeg5['levels']))
    for key in ('a', 'b', 'c'):
        draw = t.draw(t.generator(dict(img_id=key)))
        assert draw['jpeg_quality'] == 20
        assert draw['darkness'] == pytest.approx(0.045)
        assert draw['mono_noise'] is False
        assert all(draw[step] is None
                   for step in ('blur_length', 'scale', 'brighten_to',
                                'denoise_sigma'))


def test_corruption_suite_cli_writes_csv_table_and_heatmaps(
        synthfer, tmp_path):
    out = str(tmp_path / 'suite')
    proc = subprocess.run([
        sys.executable, 'tools/analysis_tools/corruption_suite.py',
        '--model', 'LLformer (plain)', LLFORMER,
        make_checkpoint(LLFORMER, str(tmp_path / 'm.pth')), '--data-root',
        synthfer, '--num-workers', '0', '--out-dir', out
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(osp.join(out, 'corruption_suite.csv')) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1 + len(suite_cells())
    assert rows[0]['condition'] == 'll-v1' and float(rows[0]['change']) == 0
    reference = float(rows[0]['accuracy'])
    for r in rows[1:]:
        assert float(r['change']) == pytest.approx(
            float(r['accuracy']) - reference)
    floor = {(r['condition'], r['severity'])
             for r in rows if r['below_floor'] == 'True'}
    # the darkest, noisiest cell is below the floor, ll-v1's middle is not
    assert ('darkness x noise', '0.005/0.02') in floor
    assert ('darkness x noise', '0.045/0.0016') not in floor
    with open(osp.join(out, 'summary.md')) as f:
        assert '| LLformer (plain) |' in f.read()
    assert osp.getsize(osp.join(out, 'suite_llformer-plain.png')) > 10_000
    # --add: a second model joins the first's table, whose rows stay
    args = proc.args[:3] + ['second'] + proc.args[4:] + ['--add']
    proc = subprocess.run(args, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    both = read_suite_csv(osp.join(out, 'corruption_suite.csv'))
    assert [r['model'] for r in both] == (['LLformer (plain)'] * len(rows) +
                                          ['second'] * len(rows))
    assert both[0]['accuracy'] == pytest.approx(reference)
    assert {(r['condition'], r['severity'])
            for r in both if r['below_floor']} == floor
    with open(osp.join(out, 'summary.md')) as f:
        table = f.read().split('\n\n')[0].splitlines()[2:]
    assert [line.split(' | ')[0] for line in table] == [
        '| LLformer (plain)', '| second'
    ]


def test_condition_net_probe_prints_a_row_per_norm(synthfer):
    proc = subprocess.run([
        sys.executable, 'tools/analysis_tools/condition_net_probe.py',
        '--data-root', synthfer, '--norm', 'none', 'BN', '--iters', '3',
        '--train-images', '7', '--val-images', '7', '--threads', '1'
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [
        line.split('|')[1:-1] for line in proc.stdout.splitlines()
        if line.startswith('| ') and 'norm' not in line
    ]
    assert [r[0].strip() for r in rows] == ['none', 'BN']
    assert all(0 <= float(r[2]) <= 100 for r in rows)


@pytest.mark.parametrize('config', [STAGE1_CPU, STAGE2_CPU])
def test_prior_ablation_agrees_with_the_model_prediction(
        synthfer, tmp_path, config):
    cfg = Config.fromfile(config)
    # perturbed, so that the zero-initialised prior modulation acts
    model = init_model(
        cfg, make_checkpoint(config, str(tmp_path / 'm.pth'), perturb=0.05))
    dataset = DATASETS.build(
        dict(cfg.test_dataloader.dataset, data_root=synthfer, split='test'))
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=8, collate_fn=pseudo_collate)
    figures = prior_ablation(model, loader)

    stage2 = config == STAGE2_CPU
    own = 'predicted' if stage2 else 'teacher'
    assert list(figures) == (['predicted'] if stage2 else []) + [
        'teacher', 'none', 'shuffled'] + (['training'] if stage2 else [])
    # the mode the model itself uses gives exactly model.predict's accuracy
    hits = [
        int(s.pred_label) == int(s.gt_label) for data in loader
        for s in model.test_step(data)
    ]
    assert figures[own]['accuracy'] == pytest.approx(100 * np.mean(hits))
    if stage2:
        assert -1 <= figures['predicted']['cosine_to_teacher'] <= 1
        assert figures['predicted']['relative_spread'] >= 0


def test_prior_ablation_cli_writes_json(synthfer, tmp_path):
    out = str(tmp_path / 'prior.json')
    proc = subprocess.run([
        sys.executable, 'tools/analysis_tools/prior_ablation.py', STAGE2_CPU,
        make_checkpoint(STAGE2_CPU, str(tmp_path / 'm.pth')), '--data-root',
        synthfer, '--num-workers', '0', '--out', out
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(out) as f:
        figures = json.load(f)
    # untrained: the prior modulation starts at zero, so no mode changes
    # the prediction
    accuracies = {fig['accuracy'] for fig in figures.values()}
    assert len(figures) == 5 and len(accuracies) == 1
    assert 'prior predicted: accuracy' in proc.stdout


def test_speed_benchmark_measures_every_model_and_the_overhead():
    """The speed benchmark's figures on a tiny input: positive speeds, the
    inference parameter count without the stage-1 teacher, and a paired
    latency ratio."""
    from mmlldif.evaluation import speed
    settings = speed.SpeedSettings(threads=1, size=16, batch=2, iters=1)
    results = {
        name: speed.measure(settings, name)
        for name in ('LLformer, no prior', 'LLDif stage 2, T=4')
    }
    for params, gflops, infer, train, peak in results.values():
        assert params > 0 and gflops > 0 and infer > 0 and train > 0
        assert peak > 0
    llformer = results['LLformer, no prior'][0]
    lldif = results['LLDif stage 2, T=4'][0]
    # the condition net and diffusion head, but not LA-CLIP / PriorNet
    stage2 = speed.build('LLDif stage 2, T=4')
    everything = sum(p.numel() for p in stage2.parameters()) / 1e6
    assert llformer < lldif < everything

    overhead = speed.measure_overhead(settings, 'LLDif stage 2, T=4')
    assert list(overhead) == [
        'total', 'condition net', 'diffusion head', 'prior modulation'
    ]
    # the parts' own times are positive, and LLDif runs all of LLformer
    # and more, so its median time over LLformer's cannot be below it
    assert overhead['condition net'] > 0 and overhead['diffusion head'] > 0
    assert overhead['total'] > 0
    assert all(np.isfinite(v) for v in overhead.values())
    # the command line: one fresh process per figure
    line = speed.overhead_line(settings, 'LLDif stage 2, T=4')
    assert line.startswith('- LLDif stage 2, T=4: +')
    assert 'condition net' in line and 'runs' not in line
    line = speed.overhead_line(settings, 'LLDif stage 2, T=4', runs=2)
    assert re.search(r'median of 2 runs, [+-][\d.]+ to [+-][\d.]+%;', line)


def test_figures_and_confusion_matrix():
    from mmlldif.evaluation import classification_figures, confusion_matrix
    preds, labels = [0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 0]
    figures = classification_figures(preds, labels)
    assert figures['accuracy'] == pytest.approx(100 * 4 / 6)
    # recalls 1/2, 1, 2/3
    assert figures['mean_class_accuracy'] == pytest.approx(
        100 * (0.5 + 1 + 2 / 3) / 3)
    matrix = confusion_matrix(preds, labels, 3)
    assert matrix.tolist() == [[1, 0, 1], [0, 1, 0], [0, 1, 2]]
    with pytest.raises(ValueError, match='same, non-zero number'):
        classification_figures([0], [0, 1])


def test_logit_ensemble_scores_each_model_and_their_average(
        synthfer, tmp_path):
    laclip = osp.join(REPO, 'configs/laclip/laclip_fer2013_cpu.py')
    models = []
    for i, config in enumerate((laclip, LLFORMER)):
        models += [
            config,
            make_checkpoint(
                config, str(tmp_path / f'm{i}.pth'), perturb=0.05, seed=i)
        ]
    out = tmp_path / 'ensemble.json'
    duplicates = tmp_path / 'duplicates.csv'
    duplicates.write_text('split,index\ntest,0\ntest,5\nval,7\n')
    subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools/analysis_tools/logit_ensemble.py'), *models,
        '--data-root', synthfer, '--out',
        str(out), '--duplicates',
        str(duplicates)
    ],
                   check=True,
                   cwd=str(tmp_path))
    figures = json.loads(out.read_text())
    assert list(figures) == [models[1], models[3], 'logit average']
    assert all(f['images'] == 21 for f in figures.values())
    # the test split's two listed images left out
    assert all(f['without_duplicates']['images'] == 19
               for f in figures.values())
    # a model ensembled with itself is itself
    same = subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools/analysis_tools/logit_ensemble.py'),
        *models[2:], *models[2:], '--data-root', synthfer
    ],
                          check=True,
                          capture_output=True,
                          text=True).stdout.splitlines()
    assert same[0].split()[:4] == same[-1].split()[:4]


def test_logit_average_ranks_as_the_mean_logits():
    from mmlldif.evaluation import logit_average
    rng = np.random.default_rng(0)
    logits = [rng.normal(size=(50, 7)) for _ in range(2)]
    softmax = [np.exp(z) / np.exp(z).sum(1, keepdims=True) for z in logits]
    assert (logit_average(softmax).argmax(1) == np.mean(
        logits, axis=0).argmax(1)).all()
    with pytest.raises(ValueError, match='different numbers'):
        logit_average([softmax[0], softmax[1][:10]])


def test_pareto_front():
    from mmlldif.evaluation.latency_front import pareto_front
    # (ms, accuracy): the second is slower and worse than the first
    assert pareto_front([(1, 50), (2, 40), (3, 60), (3, 55)]) == [
        True, False, True, False
    ]


def test_accuracy_latency_writes_table_and_picture(tmp_path):
    models = [
        dict(name='LLformer', accuracy=57.5, configs=[LLFORMER]),
        dict(
            name='LA-CLIP + LLformer',
            accuracy=56.0,
            configs=[
                osp.join(REPO, 'configs/laclip/laclip_fer2013_cpu.py'),
                LLFORMER
            ]),
    ]
    spec = tmp_path / 'models.json'
    spec.write_text(json.dumps(models))
    out = str(tmp_path / 'front')
    subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools/analysis_tools/accuracy_latency.py'),
        str(spec), '--out', out, '--iters', '1', '--threads', '1'
    ],
                   check=True)
    rows = json.loads(open(out + '.json').read())
    # the ensemble runs both networks: slower, and less accurate here
    assert rows[1]['ms_batch1'] > rows[0]['ms_batch1']
    assert [r['front'] for r in rows] == [True, False]
    assert osp.getsize(out + '.png') > 10000
    assert '| LLformer | 57.50 |' in open(out + '.md').read()
    # new accuracies, the latencies of the first run (none timed again)
    models[1]['accuracy'] = 58.0
    spec.write_text(json.dumps(models))
    again = str(tmp_path / 'again')
    subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools/analysis_tools/accuracy_latency.py'),
        str(spec), '--out', again, '--timings', out + '.json'
    ],
                   check=True)
    reused = json.loads(open(again + '.json').read())
    assert [r['ms_batch1'] for r in reused] == [r['ms_batch1'] for r in rows]
    assert [r['front'] for r in reused] == [True, True]


def test_benchmark_threads_prints_a_row_per_policy():
    proc = subprocess.run([
        sys.executable, 'tools/analysis_tools/benchmark_threads.py',
        '--iters', '1', '--rounds', '2', '--batch', '2', '--policies',
        'spin', 'one-thread'
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [line for line in proc.stdout.splitlines()
            if line.startswith(('| spin |', '| one-thread |'))]
    assert len(rows) == 2
    # the first policy is the reference of the last column
    assert rows[0].endswith('| 1.00x |')
