import pytest
from mmengine.config import Config
from mmengine.runner import save_checkpoint

from fixtures import STAGE2_CPU
from mmlldif.registry import MODELS


@pytest.fixture(scope='session')
def checkpoint(tmp_path_factory):
    """An untrained stage-2 checkpoint of the CPU FER2013 config."""
    cfg = Config.fromfile(STAGE2_CPU)
    model = MODELS.build(cfg.model)
    path = str(tmp_path_factory.mktemp('ckpt') / 'stage2.pth')
    save_checkpoint(
        dict(
            state_dict=model.state_dict(),
            meta=dict(dataset_meta=dict(classes=cfg.class_names))), path)
    return path
