from mmengine.hooks import Hook
from mmengine.logging import HistoryBuffer

from mmlldif.registry import HOOKS
from mmlldif.utils.checkpoint import use_safe_checkpoint_io

_PLAIN_KEY = '__history_buffer__'


@HOOKS.register_module()
class WeightsOnlyCheckpointHook(Hook):
    """Keep checkpoints loadable with ``torch.load(weights_only=True)``.

    mmengine pickles the message hub's :class:`HistoryBuffer` objects together
    with their statistics methods (bound through ``builtins.getattr``), which
    weights-only loading rightly refuses. Before saving, this hook replaces
    each buffer with plain arrays; after loading, it rebuilds the buffers, so
    resumed runs keep their logged history.

    Building it switches on mmlldif's checkpoint I/O for the process
    (:func:`~mmlldif.utils.checkpoint.use_safe_checkpoint_io`), so a Runner
    built from a config alone loads and saves as the tools do.
    """

    priority = 'VERY_LOW'

    def __init__(self):
        # built with the Runner, before it loads or saves a checkpoint
        use_safe_checkpoint_io()

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        scalars = checkpoint.get('message_hub', {}).get('log_scalars', {})
        for key, buffer in scalars.items():
            if isinstance(buffer, HistoryBuffer):
                log_history, count_history = buffer.data
                scalars[key] = {
                    _PLAIN_KEY: True,
                    'log_history': log_history,
                    'count_history': count_history,
                    'max_length': buffer.max_length,
                }

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        scalars = checkpoint.get('message_hub', {}).get('log_scalars', {})
        for key, value in scalars.items():
            if isinstance(value, dict) and value.get(_PLAIN_KEY):
                scalars[key] = HistoryBuffer(
                    list(value['log_history']), list(value['count_history']),
                    value['max_length'])
