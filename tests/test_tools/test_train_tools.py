"""The command-line tools, run as a user runs them, on tiny SynthFER."""
import glob
import json
import os
import os.path as osp
import pickle
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch

from fixtures import REPO
from mmlldif.datasets.synthfer import make_synthfer
from mmlldif.utils import best_checkpoint, load_checkpoint_file

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


def run(*cmd, timeout=600, check=True, installed=False):
    """Run a command as a user would; its output (stdout + stderr).

    ``installed``: as after ``make install``, from another folder and
    without ``PYTHONPATH``, so mmlldif is found only as installed."""
    env = dict(
        os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO, PATH=PATH)
    if installed:
        del env['PYTHONPATH']
    proc = subprocess.run(
        list(cmd),
        cwd=osp.dirname(REPO) if installed else REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL)
    out = proc.stdout + proc.stderr
    assert (proc.returncode == 0) == check, out[-4000:]
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
    assert 'weights of la_clip, prior_net, backbone, neck, head from' in out
    stage1 = open(osp.join(work, 'stage1', 'last_checkpoint')).read().strip()
    stage2 = open(osp.join(work, 'stage2', 'last_checkpoint')).read().strip()
    ckpt = load_checkpoint_file(stage2)  # weights-only, no opt-in
    assert ckpt['meta']['epoch'] == 2
    assert any(k.startswith('diffusion.') for k in ckpt['state_dict'])
    assert not any(
        k.startswith('diffusion.')
        for k in load_checkpoint_file(stage1)['state_dict'])

    # the LL test set and stage-2 predictions do not depend on the batch
    # size or the number of dataloader workers
    scores = []
    for batch, workers in ((1, 0), (5, 2)):
        preds = str(tmp_path / f'preds_{batch}_{workers}.pkl')
        run(sys.executable, 'tools/test.py',
            'configs/lldif/stage2_synthfer_cpu.py', stage2, '--data-root',
            synthfer, '--work-dir', work, '--out', preds, '--cfg-options',
            f'test_dataloader.batch_size={batch}',
            f'test_dataloader.num_workers={workers}')
        with open(preds, 'rb') as f:
            results = sorted(pickle.load(f), key=lambda r: r['img_path'])
        scores.append(torch.stack([r['pred_score'] for r in results]))
    assert scores[0].shape == (14, 7)
    assert torch.allclose(scores[0], scores[1], atol=1e-5)


def test_train_resume_and_test_with_dump(synthfer, tmp_path):
    work = str(tmp_path / 'baseline')
    out = run(sys.executable, 'tools/train.py', BASELINE, '--work-dir', work,
              '--data-root', synthfer, '--train-subset', '21',
              '--cfg-options', *TINY)
    assert '--train-subset: 21 of 28 faces' in out
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
        results = pickle.load(f)
    assert len(results) == 14  # 7 classes x 2 test faces
    png = str(tmp_path / 'confusion.png')
    out = run(sys.executable, 'tools/analysis_tools/confusion_matrix.py',
              BASELINE, preds, '--out', png)
    matrix = np.loadtxt(png[:-4] + '.csv', delimiter=',')
    assert matrix.shape == (7, 7) and matrix.sum() == 14
    assert (matrix.sum(1) == 2).all()  # two test faces per true class
    hits = sum(int(r['pred_label']) == int(r['gt_label']) for r in results)
    assert matrix.trace() == hits
    assert f'accuracy {100 * hits / 14:.2f}' in out
    # a head for 6 classes cannot take these weights: an error, not a
    # test of a randomly initialised head
    out = run(sys.executable, 'tools/test.py', BASELINE,
              osp.join(work, 'epoch_3.pth'), '--data-root', synthfer,
              '--cfg-options', 'model.head.num_classes=6', check=False)
    # the message alone, no traceback through the runner
    assert 'Traceback' not in out and 'error: ' in out
    assert 'head.fc.weight: checkpoint (7, 128), model (6, 128)' in out


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


def test_a_corrupt_release_file_is_a_message(tmp_path):
    """A release file with one flipped bit, given by path to tools/test.py:
    its name's SHA-256 refuses it, in one line that names it."""
    name = 'llformer_ll-fer2013_cpu-5daec32e.pth'
    data = bytearray(open(osp.join(REPO, 'checkpoints', name), 'rb').read())
    data[len(data) // 2] ^= 0x10
    path = tmp_path / name
    path.write_bytes(bytes(data))
    out = run(sys.executable, 'tools/test.py',
              'configs/baselines/llformer_ll-fer2013_cpu.py', str(path),
              check=False)
    assert 'Traceback' not in out
    assert f'error: {path}: its SHA-256 starts with' in out


# no random augmentation, so that one process with batch 14 and two with
# batch 7 each see the same global batches (DefaultSampler interleaves)
# without batch norm (the patch stem): BN statistics of a batch of 7 are not
# those of 14, and SyncBN needs GPUs
NO_BN = 'configs/baselines/llformer-patch-stem_ll-fer2013_cpu.py'
DETERMINISTIC_TRAIN = f"""
_base_ = {osp.join(REPO, NO_BN)!r}
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='LoadFERImage'),
    dict(type='LowLight', protocol='ll-v1', deterministic=True),
    dict(type='Resize', scale=(48, 48)),
    dict(type='PackInputs'),
]))
"""


def val_accuracy(log: str) -> float:
    return float(re.findall(r'Epoch\(val\) \[2\].*accuracy/top1: ([\d.]+)',
                            log)[-1])


def test_one_and_two_processes_train_the_same_model(synthfer, tmp_path):
    """Same effective batch on 1 and 2 CPU processes (gloo): the same
    weights up to float summation order (stated tolerance: 1e-4), the same
    validation accuracy; then dist_test gathers every sample once."""
    config = str(tmp_path / 'deterministic.py')
    with open(config, 'w') as f:
        f.write(DETERMINISTIC_TRAIN)
    single, dist = str(tmp_path / 'single'), str(tmp_path / 'dist')
    single_log = run(sys.executable, 'tools/train.py', config, '--work-dir',
                     single, '--data-root', synthfer, '--cfg-options',
                     *TINY)
    os.environ['PORT'] = str(29500 + os.getpid() % 1000)
    try:
        dist_log = run('bash', 'tools/dist_train.sh', config, '2',
                       '--work-dir', dist, '--data-root', synthfer,
                       '--cfg-options', *TINY, 'train_dataloader.batch_size=7')
        preds = str(tmp_path / 'dist_preds.pkl')
        run('bash', 'tools/dist_test.sh', config,
            osp.join(dist, 'epoch_2.pth'), '2', '--work-dir', dist,
            '--data-root', synthfer, '--out', preds, '--cfg-options',
            *TINY[3:])
    finally:
        os.environ.pop('PORT')
    weights = [
        load_checkpoint_file(osp.join(work, 'epoch_2.pth'))['state_dict']
        for work in (single, dist)
    ]
    assert weights[0].keys() == weights[1].keys()
    diff = max((weights[0][k] - weights[1][k]).abs().max().item()
               for k in weights[0])
    print(f'1 vs 2 processes: max weight difference {diff:.2e}')
    assert diff < 1e-4, f'1 vs 2 processes: max weight difference {diff}'
    assert val_accuracy(single_log) == val_accuracy(dist_log)
    with open(preds, 'rb') as f:
        results = pickle.load(f)
    # every test sample exactly once, gathered from both processes
    assert len(results) == 14
    paths = [r['img_path'] for r in results]
    assert len(set(paths)) == 14


@pytest.mark.skipif(
    shutil.which('mim', path=PATH) is None, reason='openmim not installed')
def test_mim_train_and_test(synthfer, tmp_path):
    """As README shows them after ``make install``: mim finds the tools
    through the installed package, not through PYTHONPATH."""
    work = str(tmp_path / 'mim')
    config = osp.join(REPO, BASELINE)
    run('mim', 'train', 'mmlldif', config, '--gpus', '0', '--work-dir', work,
        '--data-root', synthfer, '--cfg-options', *TINY, installed=True)
    out = run('mim', 'test', 'mmlldif', config, '--gpus', '0',
              '--checkpoint', osp.join(work, 'epoch_2.pth'), '--work-dir',
              work, '--data-root', synthfer, '--cfg-options', *TINY[3:],
              installed=True)
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


@pytest.mark.parametrize('model', ['llformer', 'lldif_stage2'])
def test_killed_and_resumed_run_matches_uninterrupted(synthfer, tmp_path,
                                                      model):
    """SIGKILL during epoch 2, --resume: the same weights as a run that was
    never interrupted, with a dataloader worker (augmentation and low-light
    draws in another process) and, for LLDif stage 2, a frozen teacher and
    the diffusion head's noise."""
    import signal
    import time

    import torch
    opts = ['--data-root', synthfer, '--cfg-options', *TINY[1:],
            'train_dataloader.num_workers=1', 'train_cfg.max_epochs=3',
            'default_hooks.checkpoint.interval=1',
            'default_hooks.checkpoint.max_keep_ckpts=5']
    config = BASELINE
    if model == 'lldif_stage2':
        stage1 = str(tmp_path / 'stage1')
        run(sys.executable, 'tools/train.py',
            'configs/lldif/stage1_synthfer_cpu.py', '--work-dir', stage1,
            '--data-root', synthfer, '--cfg-options', *TINY)
        config = 'configs/lldif/stage2_synthfer_cpu.py'
        # and deterministic algorithms only: the flag works all the way
        opts = ['--deterministic', *opts, f'model.stage1_checkpoint={stage1}']
    whole = str(tmp_path / 'whole')
    run(sys.executable, 'tools/train.py', config, '--work-dir', whole, *opts)

    killed = str(tmp_path / 'killed')
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO, PATH=PATH)
    proc = subprocess.Popen(
        [sys.executable, 'tools/train.py', config, '--work-dir', killed,
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
    out = run(sys.executable, 'tools/train.py', config, '--work-dir',
              killed, '--resume', *opts)
    assert 'resumed epoch' in out

    a = load_checkpoint_file(osp.join(whole, 'epoch_3.pth'))['state_dict']
    b = load_checkpoint_file(osp.join(killed, 'epoch_3.pth'))['state_dict']
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_benchmark_and_a_stage2_ablation_on_its_stage1(synthfer, tmp_path):
    """The LL-FER2013 benchmark end to end (LLDif row, 2 epochs, a stratified
    subset), then a stage-2 ablation that reuses its stage 1 (and
    --cfg-options)."""
    bench = 'tools/analysis_tools/benchmark_ll_fer2013.py'
    out = run(sys.executable, bench, '--epochs', '1', check=False)
    assert '--epochs must be at least 2' in out
    out = run(sys.executable, bench, '--seeds', '0', '1',
              '--stage1-work-dir', str(tmp_path), check=False)
    assert 'give one --seeds value' in out
    common = ('--data-root', synthfer, '--epochs', '2', '--rows',
              'lldif_ll', '--train-subset', '14')
    work, out = tmp_path / 'work', tmp_path / 'out'
    log = run(sys.executable, bench, *common, '--seeds', '0', '--work-dir',
              str(work), '--out-dir', str(out))
    with open(out / 'metrics.json') as f:
        by_steps = json.load(f)['lldif_ll/seed0']
    assert sorted(by_steps) == ['1', '2', '4']
    assert all(0 <= r['accuracy'] <= 100 for r in by_steps.values())
    assert 'train subset: 14 of 28 images' in log
    assert (out / 'confusion_lldif_ll.png').is_file()
    assert 'LLDif stage 2' in log and 'Targets' in log
    # another seed run alone into the same out dir: both seeds in the table,
    # the confusion matrix still of seed 0
    log = run(sys.executable, bench, *common, '--seeds', '1', '--work-dir',
              str(work), '--out-dir', str(out))
    assert 'confusion matrix (lldif_ll, test, seed 0)' in log
    with open(out / 'metrics.json') as f:
        assert sorted(json.load(f)) == ['lldif_ll/seed0', 'lldif_ll/seed1']
    # the table of what is there, training nothing
    log = run(sys.executable, bench, *common, '--seeds', '0', '1', '2',
              '--work-dir', str(work), '--out-dir', str(out), '--report-only')
    assert '| LLDif stage 2 (T=4), ll-v1, random LA-CLIP | 0, 1 |' in log
    assert not (work / 'lldif_ll_seed2').exists()
    log = run(sys.executable, bench, '--rows', 'resnet18_ll', '--out-dir',
              str(out), '--report-only', check=False)
    assert "no figures of ['resnet18_ll']" in log

    stage1 = str(work / 'lldif_ll_seed0' / 'stage1')
    work2, out2 = tmp_path / 'work_t1', tmp_path / 'out_t1'
    log = run(sys.executable, bench, *common, '--seeds', '0', '--work-dir',
              str(work2), '--out-dir', str(out2), '--steps', '1',
              '--lldif-configs',
              'configs/lldif/ablations/stage1_fer2013_cpu.py',
              'configs/lldif/ablations/stage2_t1_fer2013_cpu.py',
              '--stage1-work-dir', stage1, '--cfg-options',
              f'model.backbone_checkpoint={stage1}')
    # teacher and (through --cfg-options) backbone from the finished stage 1
    assert f'weights of la_clip, prior_net from {stage1}' in log
    assert f'weights of backbone, neck, head from {stage1}' in log
    assert not (work2 / 'lldif_ll_seed0' / 'stage1').exists()
    with open(out2 / 'metrics.json') as f:
        assert list(json.load(f)['lldif_ll/seed0']) == ['1']


def test_laclip_pretraining_then_stage1_and_distillation_on_it(
        synthfer, tmp_path):
    """Stage 0 with tools/train.py, its zero-shot test, its export to
    open_clip, and the two models that load it: LLDif stage 1 and the
    distillation control."""
    laclip = str(tmp_path / 'laclip')
    out = run(sys.executable, 'tools/train.py',
              'configs/laclip/laclip_fer2013_cpu.py', '--work-dir', laclip,
              '--data-root', synthfer, '--cfg-options', *TINY)
    assert 'loss_clip' in out and 'accuracy/top1' in out
    best = best_checkpoint(laclip)
    out = run(sys.executable, 'tools/test.py',
              'configs/laclip/laclip_fer2013_cpu_test-normal-light.py', best,
              '--data-root', synthfer, '--cfg-options', *TINY[3:])
    assert 'accuracy/top1' in out
    out = run(sys.executable, 'tools/model_converters/laclip_to_open_clip.py',
              'configs/laclip/laclip_fer2013_cpu.py', best,
              str(tmp_path / 'export'), '--name', 'laclip-test')
    assert osp.isfile(tmp_path / 'export' / 'laclip-test.pth')
    assert str(tmp_path / 'export' / 'laclip-test.json') in out
    pretrained = load_checkpoint_file(best)['state_dict']

    stage1 = str(tmp_path / 'stage1')
    run(sys.executable, 'tools/train.py',
        'configs/lldif/ablations/stage1_pretrained-laclip_fer2013_cpu.py',
        '--work-dir', stage1, '--data-root', synthfer, '--cfg-options',
        *TINY, f'model.la_clip.pretrained={laclip}')
    kd = str(tmp_path / 'kd')
    out = run(sys.executable, 'tools/train.py',
              'configs/baselines/llformer_kd-laclip_ll-fer2013_cpu.py',
              '--work-dir', kd, '--data-root', synthfer, '--cfg-options',
              *TINY, f'model.teacher.pretrained={best}')
    assert 'loss_kd' in out
    # both kept the pretrained LA-CLIP frozen, weight for weight
    for work, prefix in ((stage1, 'la_clip.'), (kd, 'teacher.')):
        state = load_checkpoint_file(osp.join(work,
                                              'epoch_2.pth'))['state_dict']
        for key, value in pretrained.items():
            assert torch.equal(state[prefix + key[len('la_clip.'):]], value)
    # testing the trained control takes its teacher from its checkpoint:
    # stage 0's work dir may be gone
    out = run(sys.executable, 'tools/test.py',
              'configs/baselines/llformer_kd-laclip_ll-fer2013_cpu.py',
              osp.join(kd, 'epoch_2.pth'), '--work-dir', kd, '--data-root',
              synthfer, '--cfg-options', *TINY[3:],
              f'model.teacher.pretrained={tmp_path / "gone"}')
    assert 'accuracy/top1' in out


def test_train_names_a_misplaced_option_and_a_schedule_too_short(
        synthfer, tmp_path):
    base = (sys.executable, 'tools/train.py', BASELINE, '--data-root',
            synthfer, '--work-dir', str(tmp_path / 'w'), '--cfg-options')
    out = run(*base, 'max_epochs=1', check=False)
    assert 'no top-level key "max_epochs"' in out
    assert 'did you mean train_cfg.max_epochs?' in out
    out = run(*base, 'train_cfg.max_epochs=1', check=False)
    assert 'train_cfg.max_epochs=1' in out and 'at least 2 epochs' in out
    assert 'Traceback' not in out
    release = 'checkpoints/llformer_ll-fer2013_cpu-5daec32e.pth'
    out = run(*base[:-1], '--resume', release, check=False)
    assert f'--resume {release}: it holds no message_hub' in out
    assert f'load_from={release}' in out and 'Traceback' not in out
    out = run(*base, 'train_dataloader.batch_size=0', check=False)
    assert 'train_dataloader.batch_size=0: a batch holds at least' in out
    assert 'Traceback' not in out
    assert not osp.exists(str(tmp_path / 'w'))


def test_train_subset_draws_from_every_class(synthfer):
    from mmengine.config import Config

    from mmlldif.datasets import stratified_subset
    from mmlldif.registry import DATASETS
    cfg = Config.fromfile(osp.join(REPO, BASELINE))
    dataset_cfg = dict(cfg.train_dataloader.dataset, data_root=synthfer)
    indices, total = stratified_subset(dataset_cfg, 14)
    assert total == 28 and len(indices) == 14
    labels = DATASETS.build(
        dict(dataset_cfg, pipeline=[], lazy_init=False)).get_gt_labels()
    assert sorted(set(labels[indices])) == list(range(7))
    # the dataset's own indices=N would take the first classes only
    assert len(set(labels[:14])) < 7
    assert stratified_subset(dataset_cfg, 14)[0] == indices
    with pytest.raises(ValueError, match='subset size 0'):
        stratified_subset(dataset_cfg, 0)


def test_test_refuses_a_checkpoint_of_another_class_order(synthfer, tmp_path):
    from mmengine.config import Config
    from mmengine.runner import save_checkpoint

    from fixtures import make_checkpoint
    path = make_checkpoint(
        osp.join(REPO, BASELINE), str(tmp_path / 'raf_order.pth'))
    ckpt = load_checkpoint_file(path)
    classes = Config.fromfile(osp.join(REPO, BASELINE)).class_names
    ckpt['meta']['dataset_meta']['classes'] = list(classes[::-1])
    save_checkpoint(ckpt, path)
    out = run(sys.executable, 'tools/test.py', BASELINE, path, '--data-root',
              synthfer, '--work-dir', str(tmp_path / 'w'), check=False)
    assert 'raf_order.pth was trained on the classes' in out
    assert 'in another order' in out


def test_killing_dist_train_ends_its_ranks(synthfer, tmp_path):
    """SIGKILL to dist_train.sh's process group (torchrun included): the
    ranks, which torchrun starts in sessions of their own, end too instead
    of training on."""
    import signal
    import time
    work = str(tmp_path / 'killed_dist')
    import socket
    with socket.socket() as s:  # a free port for the rendezvous
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO, PATH=PATH,
               PORT=str(port))
    proc = subprocess.Popen([
        'bash', 'tools/dist_train.sh', BASELINE, '2', '--work-dir', work,
        '--data-root', synthfer, '--cfg-options', *TINY[1:],
        'train_cfg.max_epochs=1000'
    ],
                            cwd=REPO,
                            env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            start_new_session=True)

    def ranks():
        found = []
        for pid in os.listdir('/proc'):
            try:
                with open(f'/proc/{pid}/cmdline', 'rb') as f:
                    cmdline = f.read().decode(errors='replace')
            except OSError:
                continue
            # the ranks, not bash or torchrun, whose lines name both too
            if pid.isdigit() and 'torch.distributed.run' not in cmdline and (
                    cmdline.startswith(sys.executable) or 'python' in
                    cmdline.split('\0')[0]) and (
                        'tools/train.py' in cmdline and work in cmdline):
                found.append(int(pid))
        return found

    try:
        deadline = time.time() + 240
        # a first checkpoint (only the last two are kept): ranks training
        while not glob.glob(osp.join(work, 'epoch_*.pth')):
            assert time.time() < deadline and proc.poll() is None
            time.sleep(0.2)
        assert len(ranks()) == 2
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        # at once: without it they trained on until the rendezvous store
        # timed out, about 20 s later here
        deadline = time.time() + 8
        while ranks() and time.time() < deadline:
            time.sleep(0.5)
        assert ranks() == []
    finally:
        for pid in ranks():
            os.kill(pid, signal.SIGKILL)
