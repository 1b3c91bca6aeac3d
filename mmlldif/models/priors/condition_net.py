from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmlldif.registry import MODELS


class ResBlock(nn.Module):
    """conv-LeakyReLU-conv with identity shortcut."""

    def __init__(self, channels: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1),
            nn.LeakyReLU(0.1, True),
            nn.Conv2d(channels, channels, 3, padding=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


@MODELS.register_module()
class ConditionNet(BaseModule):
    """Stage-2 prior network (PNET-S2): encodes the low-light image alone
    into the condition ``c`` of the diffusion head (DiffIR's CPEN-S2 shape).

    PixelUnshuffle(``downscale``), a conv stem, residual blocks, global
    average pooling and an MLP. It has no batch statistics, so its output
    for an image does not depend on the rest of the batch.

    Args:
        cond_dim (int): Length of ``c``, equal to the prior length.
            Defaults to 256.
        in_channels (int): Defaults to 3.
        channels (int): Width of the conv layers. Defaults to 64.
        num_blocks (int): Residual blocks. Defaults to 3.
        downscale (int): PixelUnshuffle factor. Defaults to 4.
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 cond_dim: int = 256,
                 in_channels: int = 3,
                 channels: int = 64,
                 num_blocks: int = 3,
                 downscale: int = 4,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.encoder = nn.Sequential(
            nn.PixelUnshuffle(downscale),
            nn.Conv2d(in_channels * downscale**2, channels, 3, padding=1),
            nn.LeakyReLU(0.1, True),
            *[ResBlock(channels) for _ in range(num_blocks)],
            nn.Conv2d(channels, 2 * channels, 3, padding=1),
            nn.LeakyReLU(0.1, True),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(1))
        self.head = nn.Sequential(
            nn.Linear(2 * channels, 2 * channels), nn.LeakyReLU(0.1, True),
            nn.Linear(2 * channels, cond_dim))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Args: images (B, C, H, W), H and W divisible by ``downscale``.

        Returns: c, (B, cond_dim).
        """
        return self.head(self.encoder(images))
