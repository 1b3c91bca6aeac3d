from .diffusion_prior_head import DiffusionPriorHead
from .schedules import sqrt_linear_betas

__all__ = ['DiffusionPriorHead', 'sqrt_linear_betas']
