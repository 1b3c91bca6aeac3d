from mmengine.hooks import Hook
from mmengine.runner.utils import set_random_seed

from mmlldif.registry import HOOKS


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Reseed ``random``, NumPy and torch from ``(seed, epoch)`` at the start
    of every training epoch.

    Without it, the random numbers of an epoch (augmentation and low-light
    draws in the main process, prior dropout, diffusion noise) depend on
    everything the process drew before, so a run resumed from an epoch
    checkpoint takes other random numbers than the uninterrupted run. With
    it, a run killed mid-epoch and resumed finishes with the same weights
    and metrics. Dataloader workers are seeded by MMEngine from the seed and
    their index, which a resumed run repeats too.
    """

    priority = 'VERY_HIGH'

    def before_train_epoch(self, runner) -> None:
        set_random_seed(runner.seed + runner.epoch)
