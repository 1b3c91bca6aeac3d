import torch
import torch.nn as nn
import torch.nn.functional as F

from mmlldif.registry import MODELS


@MODELS.register_module()
class DistillationKLLoss(nn.Module):
    """Knowledge distillation from a teacher's logits (Hinton et al., 2015):

        loss_weight * tau^2 * KL(softmax(t / tau) || softmax(s / tau))

    averaged over the batch; ``tau^2`` keeps the gradient's scale
    independent of the temperature.

    Args:
        tau (float): Temperature. Defaults to 4.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self, tau: float = 4.0, loss_weight: float = 1.0):
        super().__init__()
        self.tau = tau
        self.loss_weight = loss_weight

    def forward(self, student: torch.Tensor,
                teacher: torch.Tensor) -> torch.Tensor:
        """Args: student and teacher logits, both (B, num_classes)."""
        kl = F.kl_div(
            F.log_softmax(student / self.tau, dim=1),
            F.softmax(teacher / self.tau, dim=1),
            reduction='batchmean')
        return self.loss_weight * self.tau**2 * kl
