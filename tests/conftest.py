import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault('OMP_NUM_THREADS', '2')
# the default thread policy's variable (mmlldif.utils.threads), set before
# torch loads OpenMP, so that the commands the tests start run at once
os.environ.setdefault('GOMP_SPINCOUNT', '1000')


@pytest.fixture(autouse=True)
def _mmlldif_scope():
    """Every test runs with mmlldif's registries and default scope."""
    from mmlldif.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmlldif'):
        yield
