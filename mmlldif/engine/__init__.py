from .hooks import EpochSeedHook, WeightsOnlyCheckpointHook

__all__ = ['EpochSeedHook', 'WeightsOnlyCheckpointHook']
