"""The command-line tools, run as a user runs them, on tiny SynthFER."""
import os
import os.path as osp
import pickle
import re
import shutil
import subprocess
import sys

import pytest

from fixtures import REPO
from mmlldif.datasets.synthfer import make_synthfer
from mmlldif.utils import load_checkpoint_file

TINY = [
    'train_cfg.max_epochs=2', 'train_dataloader.batch_size=14',
    'val_dataloader.batch_size=7', 'test_dataloader.batch_size=7',
    'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
    'test_dataloader.num_workers=0'
]
BASELINE = 'configs/baselines/llformer_ll-fer2013_cpu.py'


# the interpreter's bin folder first: its python, torchrun and mim
BIN = osp.dirname(sys.executable)
PATH = BIN + os.pathsep + os.environ.get('PATH', '')


def run(*cmd, timeout=600):
    env = dict(
        os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO, PATH=PATH)
    proc = subprocess.run(
        list(cmd),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    return out


@pytest.fixture(scope='module')
def synthfer(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthfer'))
    make_synthfer(root, dict(train=4, val=1, test=2))
    return root


def test_run_lldif_two_stages_end_to_end(synthfer, tmp_path):
    work = str(tmp_path / 'two_stage')
    out = run(sys.executable, 'tools/run_lldif.py', '--data-root', synthfer,
              '--work-dir', work, '--cfg-options', *TINY)
    accuracy = float(re.search(r'stage-2 test accuracy:\s+([\d.]+)',
                               out).group(1))
    assert 0.0 <= accuracy <= 100.0
    assert 'Loaded' in out and 'stage-1 weights' in out
    stage1 = open(osp.join(work, 'stage1', 'last_checkpoint')).read().strip()
    stage2 = open(osp.join(work, 'stage2', 'last_checkpoint')).read().strip()
    ckpt = load_checkpoint_file(stage2)  # weights-only, no opt-in
    assert ckpt['meta']['epoch'] == 2
    assert any(k.startswith('diffusion.') for k in ckpt['state_dict'])
    assert not any(
        k.startswith('diffusion.')
        for k in load_checkpoint_file(stage1)['state_dict'])


def test_train_resume_and_test_with_dump(synthfer, tmp_path):
    work = str(tmp_path / 'baseline')
    run(sys.executable, 'tools/train.py', BASELINE, '--work-dir', work,
        '--data-root', synthfer, '--cfg-options', *TINY)
    out = run(sys.executable, 'tools/train.py', BASELINE, '--work-dir', work,
              '--data-root', synthfer, '--resume', '--cfg-options', *TINY[1:],
              'train_cfg.max_epochs=3')
    assert 'resumed epoch: 2' in out
    assert osp.isfile(osp.join(work, 'epoch_3.pth'))
    preds = str(tmp_path / 'preds.pkl')
    out = run(sys.executable, 'tools/test.py', BASELINE,
              osp.join(work, 'epoch_3.pth'), '--work-dir', work,
              '--data-root', synthfer, '--out', preds, '--cfg-options',
              *TINY[3:])
    assert 'accuracy/top1' in out
    with open(preds, 'rb') as f:
        assert len(pickle.load(f)) == 14  # 7 classes x 2 test faces


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    env = dict(os.environ, PYTHONPATH=REPO)
    proc = subprocess.run([
        sys.executable, 'tools/test.py', BASELINE,
        str(tmp_path / 'nope.pth')
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True)
    assert proc.returncode != 0
    assert 'Checkpoint file not found' in proc.stderr


def test_dist_train_and_test_two_cpu_processes(synthfer, tmp_path):
    work = str(tmp_path / 'dist')
    env_port = str(29500 + os.getpid() % 1000)
    os.environ['PORT'] = env_port
    try:
        out = run('bash', 'tools/dist_train.sh', BASELINE, '2', '--work-dir',
                  work, '--data-root', synthfer, '--cfg-options', *TINY)
        assert 'Epoch(val) [2]' in out
        preds = str(tmp_path / 'dist_preds.pkl')
        run('bash', 'tools/dist_test.sh', BASELINE,
            osp.join(work, 'epoch_2.pth'), '2', '--work-dir', work,
            '--data-root', synthfer, '--out', preds, '--cfg-options',
            *TINY[3:])
    finally:
        os.environ.pop('PORT')
    with open(preds, 'rb') as f:
        results = pickle.load(f)
    # every test sample exactly once, gathered from both processes
    assert len(results) == 14
    paths = [r['img_path'] for r in results]
    assert len(set(paths)) == 14


@pytest.mark.skipif(
    shutil.which('mim', path=PATH) is None, reason='openmim not installed')
def test_mim_train_and_test(synthfer, tmp_path):
    work = str(tmp_path / 'mim')
    run('mim', 'train', 'mmlldif', BASELINE, '--gpus', '0', '--work-dir', work,
        '--data-root', synthfer, '--cfg-options', *TINY)
    out = run('mim', 'test', 'mmlldif', BASELINE, '--gpus', '0',
              '--checkpoint', osp.join(work, 'epoch_2.pth'), '--work-dir',
              work, '--data-root', synthfer, '--cfg-options', *TINY[3:])
    assert 'accuracy/top1' in out


def test_make_low_light_writes_the_fixed_test_set(synthfer, tmp_path):
    out = str(tmp_path / 'll')
    run(sys.executable, 'tools/dataset_converters/make_low_light.py',
        'configs/_base_/datasets/fer2013.py', '--data-root', synthfer,
        '--split', 'test', '--out', out)
    files = sorted(
        osp.join(d, f) for d, _, fs in os.walk(out) for f in fs)
    assert len(files) == 14
    import cv2
    img = cv2.imread(files[0])
    assert img.mean() < 40  # SynthFER faces are bright; ll-v1 is not


def test_killed_and_resumed_run_matches_uninterrupted(synthfer, tmp_path):
    import signal
    import time

    import torch
    opts = ['--data-root', synthfer, '--cfg-options', *TINY[1:],
            'train_cfg.max_epochs=3', 'default_hooks.checkpoint.interval=1',
            'default_hooks.checkpoint.max_keep_ckpts=5']
    whole = str(tmp_path / 'whole')
    run(sys.executable, 'tools/train.py', BASELINE, '--work-dir', whole,
        *opts)

    killed = str(tmp_path / 'killed')
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO, PATH=PATH)
    proc = subprocess.Popen(
        [sys.executable, 'tools/train.py', BASELINE, '--work-dir', killed,
         *opts],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not osp.isfile(osp.join(killed, 'epoch_1.pth')):
        assert proc.poll() is None and time.time() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # during epoch 2
    proc.wait()
    assert not osp.isfile(osp.join(killed, 'epoch_3.pth'))
    out = run(sys.executable, 'tools/train.py', BASELINE, '--work-dir',
              killed, '--resume', *opts)
    assert 'resumed epoch' in out

    a = load_checkpoint_file(osp.join(whole, 'epoch_3.pth'))['state_dict']
    b = load_checkpoint_file(osp.join(killed, 'epoch_3.pth'))['state_dict']
    for key in a:
        assert torch.allclose(a[key], b[key], atol=1e-6), key
