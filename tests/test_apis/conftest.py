import pytest

from fixtures import STAGE2_CPU, make_checkpoint


@pytest.fixture(scope='session')
def checkpoint(tmp_path_factory):
    """An untrained stage-2 checkpoint of the CPU FER2013 config."""
    return make_checkpoint(STAGE2_CPU,
                           str(tmp_path_factory.mktemp('ckpt') / 'stage2.pth'))
