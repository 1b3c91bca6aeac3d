from .prior_losses import PriorKLLoss, PriorL1Loss

__all__ = ['PriorKLLoss', 'PriorL1Loss']
