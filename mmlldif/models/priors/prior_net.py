from typing import Optional

import torch
from mmengine.model import BaseModule

from mmlldif.registry import MODELS
from ..utils import mlp


@MODELS.register_module()
class PriorNet(BaseModule):
    """Stage-1 prior network (PNET-S1): condenses the LA-CLIP joint
    embedding into the compact prior Z (the "EPD").

    Args:
        in_dim (int): Length of the joint embedding.
        prior_dim (int): Length of Z. Defaults to 256.
        hidden_dim (int): Width of the hidden layers. Defaults to 256.
        num_layers (int): Number of linear layers. Defaults to 3.
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 in_dim: int,
                 prior_dim: int = 256,
                 hidden_dim: int = 256,
                 num_layers: int = 3,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.prior_dim = prior_dim
        self.mlp = mlp(in_dim, hidden_dim, prior_dim, num_layers)

    def forward(self, embedding: torch.Tensor) -> torch.Tensor:
        """Args: embedding (B, in_dim). Returns: Z, (B, prior_dim)."""
        return self.mlp(embedding)
