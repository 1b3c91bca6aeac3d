"""mmlldif: facial expression recognition in extremely low light (LLDif)."""
import mmengine
import mmpretrain
from mmengine.utils import digit_version

from .version import __version__

_MMENGINE = ('0.10.0', '1.0.0')
if not (digit_version(_MMENGINE[0]) <= digit_version(mmengine.__version__) <
        digit_version(_MMENGINE[1])):
    raise ImportError(f'mmlldif needs {_MMENGINE[0]} <= mmengine < '
                      f'{_MMENGINE[1]}, found {mmengine.__version__}.')
if digit_version(mmpretrain.__version__) < digit_version('1.2.0'):
    raise ImportError('mmlldif needs mmpretrain >= 1.2.0, found '
                      f'{mmpretrain.__version__}.')

# The model zoo's names, for mmpretrain.get_model and its inferencers too.
from .apis.model_zoo import register_model_index  # noqa: E402

register_model_index()

__all__ = ['__version__']
