import torch
import torch.nn as nn
import torch.nn.functional as F

from mmlldif.registry import MODELS


@MODELS.register_module()
class PriorKLLoss(nn.Module):
    """``KL(softmax(Z / tau) || softmax(Z_hat / tau))`` between the target
    prior Z and the predicted one, averaged over the batch.

    Args:
        tau (float): Temperature. Defaults to 0.15.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self, tau: float = 0.15, loss_weight: float = 1.0):
        super().__init__()
        self.tau = tau
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor, target: torch.Tensor):
        """Args: pred Z_hat and target Z, both (B, prior_dim)."""
        log_q = F.log_softmax(pred / self.tau, dim=-1)
        log_p = F.log_softmax(target / self.tau, dim=-1)
        kl = F.kl_div(log_q, log_p, log_target=True, reduction='batchmean')
        return self.loss_weight * kl


@MODELS.register_module()
class PriorL1Loss(nn.Module):
    """Mean absolute error between predicted and target priors.

    Args:
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pred: torch.Tensor, target: torch.Tensor):
        return self.loss_weight * F.l1_loss(pred, target)
