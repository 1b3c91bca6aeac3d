from .condition_net import ConditionNet
from .diffusion_prior_head import DiffusionPriorHead
from .direct_prior_head import DirectPriorHead
from .la_clip_condition_net import LACLIPConditionNet
from .schedules import sqrt_linear_betas
from .student_condition_net import StudentConditionNet

__all__ = [
    'ConditionNet', 'LACLIPConditionNet', 'DiffusionPriorHead',
    'DirectPriorHead', 'StudentConditionNet', 'sqrt_linear_betas'
]
