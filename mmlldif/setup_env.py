"""Registering every component of mmlldif (and mmpretrain).

Above ``models``, ``datasets``, ``engine`` and ``utils``, which it imports.
"""
import contextlib
import datetime
import warnings

from mmengine import DefaultScope


@contextlib.contextmanager
def quiet_mmcv_lite():
    """Import mmcv's layers without mmcv-lite's warning that its compiled
    ``MultiScaleDeformableAttention`` is missing: no mmlldif or mmpretrain
    model here uses it (mmcv-lite is the pure-Python mmcv, see
    docs/install.md). Only warnings raised inside the block are hidden."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            'ignore', message='Fail to import ``MultiScaleDeformableAttention')
        yield


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register all modules of mmpretrain and mmlldif into the registries,
    and switch on mmlldif's checkpoint I/O (weights-only loading, atomic
    writes: :func:`~mmlldif.utils.checkpoint.use_safe_checkpoint_io`).

    Args:
        init_default_scope (bool): Whether to set the default scope to
            ``mmlldif``, so that unprefixed names resolve in mmlldif first
            and in mmpretrain next. Defaults to True.
    """
    from mmpretrain.utils import register_all_modules as register_mmpretrain

    from mmlldif.utils.checkpoint import use_safe_checkpoint_io
    use_safe_checkpoint_io()
    with quiet_mmcv_lite():
        register_mmpretrain(init_default_scope=False)
        import mmlldif.datasets  # noqa: F401
        import mmlldif.engine  # noqa: F401
        import mmlldif.models  # noqa: F401

    if not init_default_scope:
        return
    current_scope = DefaultScope.get_current_instance()
    if current_scope is None:
        DefaultScope.get_instance('mmlldif', scope_name='mmlldif')
    elif current_scope.scope_name != 'mmlldif':
        warnings.warn(f'The current default scope "{current_scope.scope_name}"'
                      ' is not "mmlldif"; `register_all_modules` switches it '
                      'to "mmlldif".')
        DefaultScope.get_instance(
            f'mmlldif-{datetime.datetime.now()}', scope_name='mmlldif')
