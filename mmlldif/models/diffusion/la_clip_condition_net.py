from typing import Optional

import torch
from mmengine.model import BaseModule

from mmlldif.registry import MODELS
from ..utils import mlp


@MODELS.register_module()
class LACLIPConditionNet(BaseModule):
    """Stage-2 prior network (PNET-S2) on LA-CLIP's image embedding: the
    condition ``c`` of the diffusion head, as the authors build it.

    LLDif's stage 2 (described in its sister method LRDif, arXiv
    2402.00250) encodes the degraded image with the CLIP image encoder and
    maps the embedding with a PNET-S2 of PNET-S1's structure but its first
    layer. Here the encoder is the frozen LA-CLIP image tower of stages 0
    and 1, which :class:`LLDifStage2` runs and passes in, so the condition
    sees what the teacher sees of the face; this module is the MLP of
    :class:`PriorNet` on the image embedding alone (no label prompt).

    Args:
        in_dim (int): Length of LA-CLIP's image embedding (LLDifStage2
            sets it).
        cond_dim (int): Length of ``c``, equal to the prior length.
            Defaults to 256.
        hidden_dim (int): Width of the hidden layers. Defaults to 256.
        num_layers (int): Number of linear layers. Defaults to 3.
        init_cfg (dict, optional): Defaults to None.
    """

    #: what :class:`LLDifStage2` passes to :meth:`forward`
    takes = 'la_clip_embedding'

    def __init__(self,
                 in_dim: int,
                 cond_dim: int = 256,
                 hidden_dim: int = 256,
                 num_layers: int = 3,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.mlp = mlp(in_dim, hidden_dim, cond_dim, num_layers)

    def forward(self, image_embeds: torch.Tensor) -> torch.Tensor:
        """Args: image_embeds (B, in_dim), LA-CLIP's L2-normalised image
        embedding. Returns: c, (B, cond_dim)."""
        return self.mlp(image_embeds)
