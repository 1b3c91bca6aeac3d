import os
import os.path as osp
import subprocess
import sys

import pytest

from mmlldif.utils.launch import LOCK_FILE, work_dir_lock


def test_a_work_dir_is_owned_by_one_run(tmp_path):
    work = str(tmp_path / 'run')
    lock = osp.join(work, LOCK_FILE)
    with work_dir_lock(work):
        assert osp.isfile(lock)
        # a second run while the first lives: refused, naming the lock
        with pytest.raises(SystemExit, match=f'in use by another training.*'
                           f'{LOCK_FILE}'):
            with work_dir_lock(work):
                pass
    assert not osp.exists(lock)


def test_the_lock_of_a_live_process_holds_and_of_a_dead_one_breaks(tmp_path):
    import socket
    work = str(tmp_path / 'run')
    os.makedirs(work)
    lock = osp.join(work, LOCK_FILE)
    other = subprocess.Popen([sys.executable, '-c', 'import time; '
                              'time.sleep(60)'])
    try:
        with open(lock, 'w') as f:
            f.write(f'{socket.gethostname()} {other.pid}')
        with pytest.raises(SystemExit, match=f'process {other.pid}'):
            with work_dir_lock(work):
                pass
    finally:
        other.kill()
        other.wait()
    # that run was killed: its lock is broken with a warning
    with pytest.warns(UserWarning, match=f'lock of process {other.pid}'):
        with work_dir_lock(work):
            with open(lock) as f:
                assert f.read().split()[1] == str(os.getpid())
    assert not osp.exists(lock)


def test_input_errors_end_a_command_with_their_message_alone():
    import pickle

    from mmlldif.datasets.base_fer import AnnotationError
    from mmlldif.datasets.transforms import ImageReadError
    from mmlldif.models.classifiers.lldif_stage2 import Stage1CheckpointError
    from mmlldif.utils import (CheckpointMismatchError,
                               CorruptCheckpointError, InputError,
                               UnsafeCheckpointError)
    from mmlldif.utils.launch import errors_as_messages

    # each is also the built-in error a caller catches
    for cls, builtin in ((ImageReadError, ValueError),
                         (AnnotationError, ValueError),
                         (Stage1CheckpointError, ValueError),
                         (CheckpointMismatchError, ValueError),
                         (CorruptCheckpointError, RuntimeError),
                         (UnsafeCheckpointError, pickle.UnpicklingError)):
        assert issubclass(cls, InputError) and issubclass(cls, builtin)
    with pytest.raises(SystemExit) as exit_:
        with errors_as_messages():
            raise ImageReadError('face.jpg: image file is empty (0 bytes)')
    assert exit_.value.code == 'error: face.jpg: image file is empty (0 bytes)'
    # a bug keeps its traceback
    with pytest.raises(KeyError):
        with errors_as_messages():
            raise KeyError('x')
