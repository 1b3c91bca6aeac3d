import os
import os.path as osp
import pickle
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader
from mmengine.runner.checkpoint import save_checkpoint

from mmlldif.engine import WeightsOnlyCheckpointHook
from mmlldif.utils import (CheckpointMismatchError, CorruptCheckpointError,
                           UnsafeCheckpointError, best_checkpoint,
                           check_state_dict, checkpoint_state_dict,
                           load_checkpoint_file)
from mmlldif.utils.launch import latest_checkpoint


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


@pytest.mark.parametrize('switch', [
    'from mmlldif.utils import register_all_modules; register_all_modules()',
    'from mmlldif.engine import WeightsOnlyCheckpointHook; '
    'WeightsOnlyCheckpointHook()'
])
def test_mmlldif_switches_mmengine_to_weights_only_loading(tmp_path, switch):
    """A fresh process in which mmlldif's modules are registered, or whose
    Runner built the hook of every config's custom_hooks, refuses the
    pickled callable through mmengine's own loader, which
    Runner.load_checkpoint and --resume use."""
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': {}, 'meta': Payload()}, path)
    code = textwrap.dedent(f"""
        {switch}
        from mmengine.runner import CheckpointLoader
        try:
            CheckpointLoader.load_checkpoint({path!r})
        except Exception as e:
            print(type(e).__name__)
        """)
    out = subprocess.run([sys.executable, '-c', code],
                         capture_output=True,
                         text=True)
    # the last line: mmengine logs the load before it
    assert out.stdout.split()[-1] == 'UnsafeCheckpointError', out.stderr


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


def test_files_that_are_not_checkpoints_say_what_they_are(tmp_path):
    """Not "unsafe" (and no advice to trust them): not checkpoints."""
    cases = {
        'notes.pth': (b'epoch 3: 41.2%\n', 'neither a zip archive'),
        'empty.pth': (b'', 'is empty'),
        'plain.pth': (pickle.dumps({'w': [1, 2]}), 'plain Python data only'),
        'arrays.pth': (pickle.dumps({'w': np.zeros(2)}), 'numpy.ndarray'),
    }
    for name, (data, match) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(CorruptCheckpointError) as err:
            load_checkpoint_file(str(path))
        message = str(err.value)
        assert str(path) in message and match in message, message
        assert 'TRUST' not in message
    # torch's legacy (non-zip) format still loads
    legacy = str(tmp_path / 'legacy.pth')
    torch.save({'w': torch.ones(2)}, legacy,
               _use_new_zipfile_serialization=False)
    assert torch.equal(load_checkpoint_file(legacy)['w'], torch.ones(2))


def test_bare_state_dict_is_a_checkpoint(tmp_path):
    model = torch.nn.Linear(3, 2)
    bare = str(tmp_path / 'bare.pth')
    torch.save(model.state_dict(), bare)
    state = checkpoint_state_dict(load_checkpoint_file(bare), bare)
    assert torch.equal(state['weight'], model.weight)
    with pytest.raises(CorruptCheckpointError,
                       match=r"x.pth holds no model weights.*\['meta'\]"):
        checkpoint_state_dict({'meta': {}}, 'x.pth')


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


def test_save_is_atomic_when_killed_mid_write(tmp_path):
    """SIGKILL a process in the middle of writing a checkpoint over a
    previous one (half of its bytes written, at a known point): the file on
    disk is the previous whole checkpoint."""
    path = str(tmp_path / 'epoch_1.pth')
    script = textwrap.dedent(f'''
        import builtins, time
        import torch
        import mmlldif.utils.checkpoint as module
        from mmengine.runner.checkpoint import save_checkpoint
        module.use_safe_checkpoint_io()
        save_checkpoint(dict(state_dict=dict(w=torch.ones(100_000))),
                        {path!r})

        class HalfThenHang:
            def __init__(self, f):
                self.f = f
            def __enter__(self):
                return self
            def __exit__(self, *args):
                self.f.close()
            def write(self, data):
                self.f.write(data[:len(data) // 2])
                self.f.flush()
                print('mid-write', flush=True)
                time.sleep(600)

        module.open = lambda *args: HalfThenHang(builtins.open(*args))
        save_checkpoint(dict(state_dict=dict(w=torch.zeros(100_000))),
                        {path!r})
    ''')
    proc = subprocess.Popen([sys.executable, '-c', script],
                            stdout=subprocess.PIPE, text=True)
    try:
        lines = iter(proc.stdout.readline, '')  # mmengine logs there too
        assert 'mid-write' in (line.strip() for line in lines)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    weights = load_checkpoint_file(path)['state_dict']['w']
    assert torch.equal(weights, torch.ones(100_000))
    # the kill did land mid-write: half a checkpoint beside the whole one
    part = [n for n in os.listdir(tmp_path) if n.endswith('.part')]
    assert len(part) == 1
    assert 0 < os.path.getsize(tmp_path / part[0]) < os.path.getsize(path)


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = str(tmp_path / 'epoch_1.pth')
    save_checkpoint(dict(state_dict=dict(w=torch.ones(3))), path)

    def fail(fd):
        raise OSError('disk full')

    monkeypatch.setattr(os, 'fsync', fail)
    with pytest.raises(OSError, match='disk full'):
        save_checkpoint(dict(state_dict=dict(w=torch.zeros(3))), path)
    assert os.listdir(tmp_path) == ['epoch_1.pth']  # no stray temp file
    assert load_checkpoint_file(path)['state_dict']['w'].tolist() == [1] * 3


def test_resume_skips_a_checkpoint_that_does_not_load(tmp_path):
    work = str(tmp_path)
    assert latest_checkpoint(work) is None  # nothing yet: from scratch
    for epoch in (1, 2, 3):
        save_checkpoint(dict(state_dict=dict(w=torch.ones(1) * epoch)),
                        osp.join(work, f'epoch_{epoch}.pth'))
    pointer = osp.join(work, 'last_checkpoint')
    with open(pointer, 'w') as f:
        f.write(osp.join(work, 'epoch_3.pth'))
    assert latest_checkpoint(work) == osp.join(work, 'epoch_3.pth')
    with open(osp.join(work, 'epoch_3.pth'), 'r+b') as f:
        f.truncate(100)  # e.g. written by a tool without atomic saves
    with pytest.warns(UserWarning, match='resuming from .*epoch_2.pth'):
        assert latest_checkpoint(work) == osp.join(work, 'epoch_2.pth')
    open(pointer, 'w').close()  # killed between truncating and writing
    with pytest.warns(UserWarning, match='names nothing'):
        assert latest_checkpoint(work) == osp.join(work, 'epoch_2.pth')


def test_the_checkpoint_tested_after_training(tmp_path):
    """best_checkpoint: the best-on-val file, else the last one, else an
    error that names the work dir."""
    work = str(tmp_path)
    with pytest.raises(FileNotFoundError, match=f'{work} holds no'):
        best_checkpoint(work)
    with open(osp.join(work, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(work, 'epoch_2.pth'))
    assert best_checkpoint(work) == osp.join(work, 'epoch_2.pth')
    open(osp.join(work, 'best_accuracy_top1_epoch_1.pth'), 'w').close()
    assert best_checkpoint(work) == osp.join(
        work, 'best_accuracy_top1_epoch_1.pth')
    # the latest run's best, not the name that sorts last: epoch_10 was
    # written after epoch_9 (of an earlier run into the same work dir)
    for i, name in enumerate(('epoch_9', 'epoch_10')):
        path = osp.join(work, f'best_accuracy_top1_{name}.pth')
        open(path, 'w').close()
        os.utime(path, (1e9 + i, 1e9 + i))
    os.utime(osp.join(work, 'best_accuracy_top1_epoch_1.pth'), (1e8, 1e8))
    assert best_checkpoint(work) == osp.join(
        work, 'best_accuracy_top1_epoch_10.pth')


def test_checkpoint_of_another_model_is_refused():
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Linear(8, 7))
    check_state_dict(model, model.state_dict(), 'same.pth')
    other = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Linear(8, 6))
    with pytest.raises(CheckpointMismatchError) as err:
        check_state_dict(model, other.state_dict(), 'six_classes.pth')
    assert 'six_classes.pth' in str(err.value)
    assert '1.weight: checkpoint (6, 8), model (7, 8)' in str(err.value)
    with pytest.raises(CheckpointMismatchError, match='2 weights missing'):
        check_state_dict(model, {
            k: v
            for k, v in model.state_dict().items() if k.startswith('0.')
        }, 'partial.pth')


def test_training_only_weights_may_be_absent_for_inference():

    class WithTeacher(torch.nn.Module):
        TRAINING_ONLY = ('teacher', )

        def __init__(self):
            super().__init__()
            self.teacher = torch.nn.Linear(4, 4)
            self.head = torch.nn.Linear(4, 7)

    model = WithTeacher()
    slim = {k: v for k, v in model.state_dict().items() if k[:4] == 'head'}
    check_state_dict(model, slim, 'slim.pth', inference_only=True)
    with pytest.raises(CheckpointMismatchError,
                       match='slim.pth holds only the weights that '
                       'prediction uses'):
        check_state_dict(model, slim, 'slim.pth')
    no_head = {k: v for k, v in model.state_dict().items() if k[:4] != 'head'}
    with pytest.raises(CheckpointMismatchError, match='2 weights missing'):
        check_state_dict(model, no_head, 'no_head.pth', inference_only=True)


def test_import_leaves_mmengine_checkpoint_io_alone():
    """``import mmlldif`` next to plain mmengine use changes neither its
    checkpoint loaders nor its file backend (it adds a loader for its own
    ``mmlldif://`` release files); registering mmlldif's modules (as the
    tools and the Runner's hook do) switches on mmlldif's."""
    import subprocess
    import sys
    code = '\n'.join([
        'from mmengine.fileio.backends.registry_utils import backends',
        'from mmengine.runner.checkpoint import CheckpointLoader',
        'def state():',
        '    return (CheckpointLoader._schemes[""].__module__,',
        '            backends["local"].__name__)',
        'def others():',
        '    return {p: f.__module__ for p, f in',
        '            CheckpointLoader._schemes.items() if p != "mmlldif://"}',
        'before = state(), others()',
        'import mmlldif',
        'print(before == (state(), others()), state())',
        'print("mmlldif://" in CheckpointLoader._schemes)',
        'from mmlldif.utils import register_all_modules',
        'register_all_modules()',
        'print(state())',
    ])
    out = subprocess.run([sys.executable, '-c', code],
                         capture_output=True,
                         text=True,
                         check=True).stdout.splitlines()
    assert out[0].startswith('True') and 'mmengine' in out[0]
    assert out[1] == 'True'
    assert out[2] == "('mmlldif.utils.checkpoint', 'AtomicLocalBackend')"


def test_a_zip_bomb_is_refused_before_it_inflates(tmp_path):
    import zipfile
    path = str(tmp_path / 'bomb.pth')
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('archive/data.pkl', b'\0' * (64 * 2**20))
    assert os.path.getsize(path) < 2**20
    with pytest.raises(CorruptCheckpointError,
                       match='bomb.pth is not a torch checkpoint: its '
                       'compressed entries inflate'):
        load_checkpoint_file(path)
    # a real checkpoint, stored as torch.save stores it, loads
    good = str(tmp_path / 'good.pth')
    torch.save(dict(state_dict=dict(w=torch.zeros(2**18))), good)
    assert load_checkpoint_file(good)['state_dict']['w'].numel() == 2**18
