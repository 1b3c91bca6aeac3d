from typing import Dict, Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmlldif.registry import MODELS
from ..utils import mlp
from .condition_net import ConditionNet


@MODELS.register_module()
class StudentConditionNet(BaseModule):
    """The LA-CLIP condition without LA-CLIP at inference: a small
    convolutional student predicts LA-CLIP's image embedding of the
    low-light face, and the MLP of :class:`LACLIPConditionNet` maps the
    prediction to the condition ``c``.

    In training (:meth:`forward_train`) :class:`LLDifStage2` passes the
    frozen LA-CLIP's embedding of the same faces, which the student learns
    to match (cosine distance) while the prior loss trains both parts end
    to end; prediction runs the student alone, so a release carries no CLIP
    tower.

    Args:
        embed_dim (int): Length of LA-CLIP's image embedding (LLDifStage2
            sets it).
        cond_dim (int): Length of ``c``, equal to the prior length.
            Defaults to 256.
        student (dict): :class:`ConditionNet` arguments of the student (its
            output is the embedding). Defaults to PixelUnshuffle(4), 32
            channels, 2 residual blocks.
        hidden_dim (int): Width of the MLP's hidden layers. Defaults to 256.
        num_layers (int): The MLP's linear layers. Defaults to 3.
        loss_weight (float): Weight of the embedding loss. Defaults to 1.
        init_cfg (dict, optional): Defaults to None.
    """

    #: what :class:`LLDifStage2` passes to :meth:`forward`
    takes = 'image'
    #: what it passes besides to :meth:`forward_train`
    learns = 'la_clip_embedding'

    def __init__(self,
                 embed_dim: int,
                 cond_dim: int = 256,
                 student: dict = dict(downscale=4, channels=32, num_blocks=2),
                 hidden_dim: int = 256,
                 num_layers: int = 3,
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.student = ConditionNet(cond_dim=embed_dim, **student)
        self.mlp = mlp(embed_dim, hidden_dim, cond_dim, num_layers)
        self.loss_weight = loss_weight

    def embed(self, images: torch.Tensor) -> torch.Tensor:
        """The predicted, L2-normalised LA-CLIP embedding, (B, embed_dim)."""
        return F.normalize(self.student(images), dim=-1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Args: images (B, C, H, W). Returns: c, (B, cond_dim)."""
        return self.mlp(self.embed(images))

    def forward_train(
            self, images: torch.Tensor, image_embeds: torch.Tensor
    ) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        """``c`` of ``images`` and ``{'loss_embed': ...}``, the cosine
        distance of the predicted embedding to LA-CLIP's ``image_embeds``
        (B, embed_dim)."""
        pred = self.embed(images)
        distance = 1 - F.cosine_similarity(pred, image_embeds, dim=-1)
        return self.mlp(pred), dict(
            loss_embed=self.loss_weight * distance.mean())
