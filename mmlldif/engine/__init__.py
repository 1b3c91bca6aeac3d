from .hooks import EpochSeedHook, WeightsOnlyCheckpointHook
from .optimizers import TrainableOptimWrapperConstructor

__all__ = [
    'EpochSeedHook', 'WeightsOnlyCheckpointHook',
    'TrainableOptimWrapperConstructor'
]
