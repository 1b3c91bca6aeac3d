from .distillation_loss import DistillationKLLoss
from .prior_losses import PriorKLLoss, PriorL1Loss

__all__ = ['DistillationKLLoss', 'PriorKLLoss', 'PriorL1Loss']
