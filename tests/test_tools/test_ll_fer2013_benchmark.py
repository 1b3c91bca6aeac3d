"""The LL-FER2013 benchmark's bookkeeping: results kept across runs, the
targets and the table (training end to end: tests/test_tools)."""
import json
import os.path as osp
import subprocess
import sys

import pytest

from fixtures import REPO

sys.path.insert(0, osp.join(REPO, 'tools', 'analysis_tools'))
from ll_fer2013_benchmark import (  # noqa: E402
    DATASET_ROWS, ROWS, TITLES, BenchmarkSettings, load_results, mean_std,
    report, save_results, target_lines)

CLASSES = ('angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral')


def figures(accuracy):
    confusion = [[0] * 7 for _ in range(7)]
    confusion[3][3] = 10
    return dict(
        accuracy=accuracy,
        mean_class_accuracy=accuracy - 5,
        confusion=confusion,
        ms_per_image=1.0)


def test_results_accumulate_across_runs(tmp_path):
    out = str(tmp_path)
    assert load_results(out) == {}
    save_results(out, {('resnet18_ll', 0): {None: figures(50.0)}})
    # a second process writes another seed and another row
    merged = save_results(
        out, {
            ('resnet18_ll', 1): {None: figures(52.0)},
            ('lldif_ll', 0): {1: figures(53.0), 4: figures(54.0)}
        })
    assert load_results(out) == merged
    assert sorted(merged) == [('lldif_ll', 0), ('resnet18_ll', 0),
                              ('resnet18_ll', 1)]
    assert sorted(merged[('lldif_ll', 0)]) == [1, 4]
    with open(tmp_path / 'metrics.json') as f:
        assert sorted(json.load(f)) == [
            'lldif_ll/seed0', 'resnet18_ll/seed0', 'resnet18_ll/seed1'
        ]


def test_targets_name_the_best_control_and_say_missed():
    acc = dict(lldif_laclip_kd_ll=56.0, resnet18_ll=51.0,
               resnet18_kd_ll=55.5, llformer_kd_ll=54.0,
               resnet18_normal=62.0)
    lines = target_lines('lldif_laclip_kd_ll', acc)
    assert lines[0].startswith('LLDif - ResNet-18, ll-v1: +5.00') and \
        lines[0].endswith(': met')
    # the stronger of the two distillation controls, 0.5 < 1 point
    assert 'ResNet-18, ll-v1, distilled' in lines[1]
    assert lines[1].endswith('MISSED')
    assert lines[2] == ('normal-light reference - LLDif: 6.00 points '
                        '(target <= 5): MISSED')
    assert target_lines('lldif_ll', dict(lldif_ll=50.0)) == []
    # LL-FERPlus sets a least accuracy too
    assert target_lines('lldif_ll', dict(lldif_ll=79.5), 80.0) == [
        'LLDif test accuracy: 79.50 (target >= 80): MISSED'
    ]


def test_report_over_seeds(tmp_path):
    results = {
        ('resnet18_ll', 0): {None: figures(50.0)},
        ('resnet18_ll', 1): {None: figures(52.0)},
        ('lldif_ll', 0): {1: figures(55.0), 4: figures(56.0)},
        ('lldif_ll', 1): {1: figures(55.0), 4: figures(58.0)},
    }
    settings = BenchmarkSettings(data_root='unused', steps=(1, 4))
    results[('resnet18_normal', 0)] = {None: figures(60.0)}
    table = report(results, ['resnet18_ll', 'lldif_ll', 'resnet18_normal'],
                   [0, 1, 2], settings, CLASSES, str(tmp_path))
    assert '| ResNet-18, ll-v1 | 0, 1 | 51.00 ± 1.00 | 46.00 ± 1.00 |' in table
    # a row of one seed says so
    assert '| ResNet-18, normal light (reference) | 0 | 60.00 | 55.00 |' \
        in table
    # the LLDif row's figure is that of all its diffusion steps
    assert ('| LLDif stage 2 (T=4), ll-v1, random LA-CLIP | 0, 1 | '
            '57.00 ± 1.00') in table
    assert '| 1 | 55.00 ± 0.00 | 1.00 |' in table
    assert 'LLDif - ResNet-18, ll-v1: +6.00 points' in table
    assert (tmp_path / 'confusion_lldif_ll.png').is_file()
    with open(tmp_path / 'results.csv') as f:
        assert len(f.readlines()) == 1 + 7


def test_settings():
    with pytest.raises(ValueError, match='at least 2'):
        BenchmarkSettings(data_root='x', epochs=1)
    ablation = BenchmarkSettings(
        data_root='x',
        lldif_configs=(ROWS['lldif_ll'][0], 'ablations/stage2_t1.py'))
    assert ablation.title('lldif_ll').endswith('stage2_t1.py')
    assert BenchmarkSettings(data_root='x').title('lldif_ll') == \
        'LLDif stage 2 (T=4), ll-v1, random LA-CLIP'
    assert mean_std([3.0]) == '3.00'


def test_every_row_of_every_dataset_names_configs_that_exist():
    """Each dataset's rows: the same names and roles on LL-FER2013 and
    LL-FERPlus, configs that exist and read their own dataset."""
    from mmengine.config import Config
    for dataset, (_, rows, _) in DATASET_ROWS.items():
        for row, configs in rows.items():
            assert row in TITLES, (dataset, row)
            for path in configs:
                cfg = Config.fromfile(osp.join(REPO, path))
                assert cfg.train_dataloader.dataset.type.lower() == dataset, (
                    path)


def test_the_cli_refuses_a_row_the_dataset_lacks():
    proc = subprocess.run([
        sys.executable, 'tools/analysis_tools/benchmark_ll_fer2013.py',
        '--dataset', 'ferplus', '--rows', 'llformer_ll', '--report-only'
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 2
    assert 'not a row of --dataset ferplus' in proc.stderr
