"""A config with an unknown component or a misspelt key says which."""
import pytest

from mmlldif.registry import MODELS


def test_unknown_component_is_named():
    with pytest.raises(KeyError, match='LLformr'):
        MODELS.build(dict(type='LLformr'))


def test_misspelt_key_is_named():
    with pytest.raises(TypeError, match='prior_dimm'):
        MODELS.build(dict(type='LLformer', prior_dimm=64))


def test_amp_without_gpu_is_refused():
    import subprocess
    import sys

    from fixtures import REPO
    proc = subprocess.run([
        sys.executable, 'tools/train.py',
        'configs/baselines/llformer_ll-fer2013_cpu.py', '--amp'
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode != 0
    assert '--amp needs a CUDA GPU' in proc.stderr
