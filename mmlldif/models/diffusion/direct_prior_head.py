from typing import Optional

import torch
from mmengine.model import BaseModule

from mmlldif.registry import MODELS
from ..utils import mlp


@MODELS.register_module()
class DirectPriorHead(BaseModule):
    """The control of :class:`DiffusionPriorHead` without diffusion: an MLP
    maps the condition ``c`` straight to ``Z_hat``.

    Same interface (``forward_train(Z, c)``, ``sample(c)``) and the
    denoiser's shape, less its ``t`` and ``x_t`` inputs, so that an LLDif
    stage 2 with this head in place of the diffusion one, trained with the
    same losses, tells what the diffusion adds over a deterministic
    mapping of the same features.

    Args:
        prior_dim (int): Length of Z and of ``c``. Defaults to 256.
        hidden_dim (int): MLP width. Defaults to 4 * prior_dim.
        num_layers (int): MLP linear layers. Defaults to 5.
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 prior_dim: int = 256,
                 hidden_dim: Optional[int] = None,
                 num_layers: int = 5,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.prior_dim = prior_dim
        self.mlp = mlp(prior_dim, hidden_dim or 4 * prior_dim, prior_dim,
                       num_layers)

    def forward_train(self, prior: torch.Tensor,
                      cond: torch.Tensor) -> torch.Tensor:
        """Z_hat of ``cond`` (B, prior_dim); the target ``prior`` is not
        used (the prior losses compare the two)."""
        return self.mlp(cond)

    def sample(self, cond: torch.Tensor) -> torch.Tensor:
        """Z_hat of ``cond``, (B, prior_dim)."""
        return self.mlp(cond)

    def forward(self, cond: torch.Tensor) -> torch.Tensor:
        return self.sample(cond)
