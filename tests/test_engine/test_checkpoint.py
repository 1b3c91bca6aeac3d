import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader

from mmlldif.engine import WeightsOnlyCheckpointHook
from mmlldif.utils import (CorruptCheckpointError, UnsafeCheckpointError,
                           load_checkpoint_file)


def test_plain_checkpoint_loads_with_numpy(tmp_path):
    path = str(tmp_path / 'ok.pth')
    torch.save(
        dict(
            state_dict={'w': torch.ones(2)},
            meta=dict(seed=np.int64(3), hist=np.arange(3.0))), path)
    ckpt = CheckpointLoader.load_checkpoint(path)
    assert torch.equal(ckpt['state_dict']['w'], torch.ones(2))
    assert ckpt['meta']['hist'].tolist() == [0.0, 1.0, 2.0]


class Payload:
    """A pickled callable: runs ``os.getcwd`` on unpickling."""

    def __reduce__(self):
        return (os.getcwd, ())


def test_pickled_callable_is_refused_unless_trusted(tmp_path, monkeypatch):
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': {}, 'meta': Payload()}, path)
    with pytest.raises(UnsafeCheckpointError) as err:
        load_checkpoint_file(path)
    assert path in str(err.value)
    assert 'MMLLDIF_TRUST_CHECKPOINTS=1' in str(err.value)
    monkeypatch.setenv('MMLLDIF_TRUST_CHECKPOINTS', '1')
    assert load_checkpoint_file(path)['meta'] == os.getcwd()


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(FileNotFoundError, match='not found'):
        load_checkpoint_file(str(tmp_path / 'nope.pth'))
    path = str(tmp_path / 'cut.pth')
    torch.save({'state_dict': {'w': torch.ones(100)}}, path)
    data = open(path, 'rb').read()
    with open(path, 'wb') as f:
        f.write(data[:len(data) // 2])
    with pytest.raises(CorruptCheckpointError, match='cut.pth'):
        load_checkpoint_file(path)


def test_hook_makes_message_hub_state_weights_only(tmp_path):
    hook = WeightsOnlyCheckpointHook()
    ckpt = dict(
        message_hub=dict(
            log_scalars={'train/loss': HistoryBuffer([1.0, 2.0], [1, 1])}))
    hook.before_save_checkpoint(None, ckpt)
    path = str(tmp_path / 'hub.pth')
    torch.save(ckpt, path)
    loaded = load_checkpoint_file(path)  # would fail with HistoryBuffer
    hook.after_load_checkpoint(None, loaded)
    buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.mean() == 1.5
    with pytest.raises(pickle.UnpicklingError):
        torch.save(
            dict(b=HistoryBuffer([1.0], [1])), str(tmp_path / 'raw.pth'))
        load_checkpoint_file(str(tmp_path / 'raw.pth'))
