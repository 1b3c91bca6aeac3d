"""ONNX export of LLDif stage 2 (diffusion unrolled) and of LLformer,
checked against PyTorch with ONNX Runtime."""
import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest

from fixtures import REPO, STAGE2_CPU, make_checkpoint

onnxruntime = pytest.importorskip('onnxruntime')
LLFORMER = osp.join(REPO, 'configs/baselines/llformer_ll-fer2013_cpu.py')


@pytest.mark.parametrize('config,steps', [(STAGE2_CPU, 4), (STAGE2_CPU, 1),
                                          (LLFORMER, None)])
def test_export_matches_pytorch(config, steps, tmp_path):
    checkpoint = make_checkpoint(
        config, str(tmp_path / 'model.pth'), perturb=0.05)
    out = str(tmp_path / 'model.onnx')
    cmd = [
        sys.executable, 'tools/deployment/pytorch2onnx.py', config,
        checkpoint, '--out', out
    ]
    if steps:
        cmd += ['--steps', str(steps)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert re.search(r'max abs difference ([\d.e+-]+)', proc.stdout)

    # ONNX Runtime against PyTorch, here, on a batch size other than the
    # traced one: the same class probabilities
    import torch

    from mmlldif.apis import init_model
    from mmlldif.apis.onnx_export import ScoreModel
    session = onnxruntime.InferenceSession(out)
    images = np.random.default_rng(1).uniform(0, 30, (5, 3, 48, 48)).astype(
        np.float32)
    scores = session.run(None, {'images': images})[0]
    model = init_model(config, checkpoint)
    if steps:
        model.diffusion.num_inference_steps = steps
    with torch.no_grad():
        expected = ScoreModel(model)(torch.from_numpy(images)).numpy()
    assert scores.shape == expected.shape == (5, 7)
    np.testing.assert_allclose(scores, expected, atol=1e-5)
    np.testing.assert_allclose(scores.sum(1), 1, atol=1e-5)
    if steps:  # the unrolled loop: one denoiser pass per step
        import onnx
        graph = onnx.load(out).graph
        matmuls = sum(node.op_type in ('Gemm', 'MatMul')
                      for node in graph.node)
        assert matmuls >= steps * 5


def test_export_refuses_steps_without_diffusion(tmp_path):
    checkpoint = make_checkpoint(LLFORMER, str(tmp_path / 'model.pth'))
    proc = subprocess.run([
        sys.executable, 'tools/deployment/pytorch2onnx.py', LLFORMER,
        checkpoint, '--steps', '2', '--out',
        str(tmp_path / 'x.onnx')
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode != 0
    assert 'has no diffusion head' in proc.stderr
