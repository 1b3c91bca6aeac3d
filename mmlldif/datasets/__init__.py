from .affectnet import AffectNet
from .base_fer import AnnotationError, FERDataset
from .fer2013 import FER2013
from .ferplus import FERPlus
from .kdef import KDEF
from .rafdb import RAFDB
from .subset import stratified_subset
from .transforms import *  # noqa: F401,F403
from .worker_seed import seed_worker_per_epoch

__all__ = [
    'FERDataset', 'AnnotationError', 'FER2013', 'FERPlus', 'RAFDB', 'KDEF',
    'AffectNet', 'seed_worker_per_epoch', 'stratified_subset'
]
