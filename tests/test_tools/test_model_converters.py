"""publish_model.py: a release file, with or without the weights that
prediction does not use."""
import glob
import hashlib
import os.path as osp
import subprocess
import sys

import pytest
import torch

from fixtures import REPO, STAGE2_CPU, make_checkpoint
from mmlldif.apis import init_model
from mmlldif.utils import CheckpointMismatchError, load_checkpoint_file


def publish(*args):
    return subprocess.run(
        [sys.executable, 'tools/model_converters/publish_model.py', *args],
        cwd=REPO,
        capture_output=True,
        text=True)


def test_inference_only_release_predicts_as_the_training_checkpoint(
        tmp_path):
    full = make_checkpoint(
        STAGE2_CPU, str(tmp_path / 'epoch_1.pth'), perturb=0.05)
    proc = publish(full, str(tmp_path / 'release.pth'), '--inference-only')
    assert proc.returncode == 0, proc.stderr[-3000:]
    (slim, ) = glob.glob(str(tmp_path / 'release-*.pth'))
    with open(slim, 'rb') as f:
        assert slim.endswith(f'-{hashlib.sha256(f.read()).hexdigest()[:8]}'
                             '.pth')

    ckpt = load_checkpoint_file(slim)
    assert ckpt['meta']['inference_only'] == ['la_clip', 'prior_net']
    assert ckpt['meta']['dataset_meta']['classes'][0] == 'angry'
    prefixes = {k.split('.', 1)[0] for k in ckpt['state_dict']}
    assert prefixes == {'backbone', 'head', 'condition_net', 'diffusion'}
    assert osp.getsize(slim) < osp.getsize(full) / 2  # LA-CLIP is most

    images = torch.rand(3, 3, 48, 48) * 30
    with torch.no_grad():
        expected = init_model(STAGE2_CPU, full)(images, mode='tensor')
        got = init_model(STAGE2_CPU, slim)(images, mode='tensor')
    assert torch.equal(got, expected)
    # the teacher mode of the prior ablation needs the full file
    with pytest.raises(CheckpointMismatchError, match='--inference-only'):
        init_model(STAGE2_CPU, slim, inference_only=False)


def test_inference_only_needs_the_training_config(tmp_path):
    path = str(tmp_path / 'bare.pth')
    torch.save(dict(state_dict=dict(w=torch.ones(1))), path)
    proc = publish(path, str(tmp_path / 'out.pth'), '--inference-only')
    assert proc.returncode != 0
    assert 'bare.pth: its meta holds no training config' in proc.stderr
    assert not glob.glob(str(tmp_path / 'out*'))


def test_a_bare_state_dict_is_published_and_a_non_checkpoint_named(tmp_path):
    path = str(tmp_path / 'weights.pth')
    torch.save(dict(w=torch.ones(3)), path)  # torch.save(model.state_dict())
    proc = publish(path, str(tmp_path / 'release.pth'))
    assert proc.returncode == 0, proc.stderr[-2000:]
    out, = glob.glob(str(tmp_path / 'release-*.pth'))
    assert torch.load(out)['state_dict']['w'].tolist() == [1, 1, 1]
    # with --inference-only the model class is unknown: named, nothing kept
    proc = publish(path, str(tmp_path / 'other.pth'), '--inference-only')
    assert 'weights.pth: its meta holds no training config' in proc.stderr
    path = str(tmp_path / 'meta_only.pth')
    torch.save(dict(meta=dict(seed=0)), path)
    proc = publish(path, str(tmp_path / 'none.pth'))
    assert proc.returncode != 0 and 'holds no model weights' in proc.stderr
    assert 'Traceback' not in proc.stderr
    assert not glob.glob(str(tmp_path / 'none*'))
