import torch

from mmlldif.registry import MODELS
from .prior_losses import PriorKLLoss


@MODELS.register_module()
class DistillationKLLoss(PriorKLLoss):
    """Knowledge distillation from a teacher's logits (Hinton et al., 2015):

        loss_weight * tau^2 * KL(softmax(t / tau) || softmax(s / tau))

    averaged over the batch: :class:`PriorKLLoss` between logits, scaled
    by ``tau^2``, which keeps the gradient's scale independent of the
    temperature.

    Args:
        tau (float): Temperature. Defaults to 4.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self, tau: float = 4.0, loss_weight: float = 1.0):
        super().__init__(tau=tau, loss_weight=loss_weight)

    def forward(self, student: torch.Tensor,
                teacher: torch.Tensor) -> torch.Tensor:
        """Args: student and teacher logits, both (B, num_classes)."""
        return self.tau**2 * super().forward(student, teacher)
