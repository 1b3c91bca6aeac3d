from .checkpoint import (CheckpointMismatchError, CorruptCheckpointError,
                         UnsafeCheckpointError, best_checkpoint,
                         check_state_dict, checkpoint_state_dict,
                         last_checkpoint, load_checkpoint_file)
from .errors import InputError
# above utils (it imports every component); re-exported where OpenMMLab
# packages keep it
from ..setup_env import register_all_modules  # noqa: E402

__all__ = [
    'register_all_modules', 'load_checkpoint_file', 'UnsafeCheckpointError',
    'CorruptCheckpointError', 'CheckpointMismatchError', 'check_state_dict',
    'last_checkpoint', 'best_checkpoint', 'checkpoint_state_dict', 'InputError'
]
