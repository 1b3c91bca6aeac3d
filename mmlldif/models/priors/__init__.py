from .la_clip import LACLIP
from .prior_net import PriorNet

__all__ = ['LACLIP', 'PriorNet']
