from typing import List, Optional

import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule

from mmlldif.registry import MODELS


def conv_norm(in_channels: int, out_channels: int,
              norm_cfg: Optional[dict]) -> List[nn.Module]:
    """A 3x3 convolution, followed by a norm layer when ``norm_cfg`` is
    given (the convolution then has no bias)."""
    layers = [
        nn.Conv2d(
            in_channels, out_channels, 3, padding=1, bias=norm_cfg is None)
    ]
    if norm_cfg is not None:
        layers.append(build_norm_layer(norm_cfg, out_channels)[1])
    return layers


class ResBlock(nn.Module):
    """conv-(norm)-LeakyReLU-conv-(norm) with identity shortcut."""

    def __init__(self, channels: int, norm_cfg: Optional[dict] = None):
        super().__init__()
        self.body = nn.Sequential(
            *conv_norm(channels, channels, norm_cfg),
            nn.LeakyReLU(0.1, True),
            *conv_norm(channels, channels, norm_cfg))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


@MODELS.register_module()
class ConditionNet(BaseModule):
    """Stage-2 prior network (PNET-S2): encodes the low-light image alone
    into the condition ``c`` of the diffusion head (DiffIR's CPEN-S2 shape;
    :class:`LACLIPConditionNet` is the one of the paper's design).

    PixelUnshuffle(``downscale``), a conv stem, residual blocks, global
    average pooling and an MLP.

    Its convolutions are batch-normalised by default (our change to
    DiffIR's CPEN, which has no normalisation): without it stage 2 stayed
    at the majority class on LL-FER2013 at the CPU budget (docs/method.md).
    In eval mode BN uses its running statistics, so a prediction still
    depends on its image only. Use ``sync_bn='torch'`` in the config for
    multi-GPU training.

    Args:
        cond_dim (int): Length of ``c``, equal to the prior length.
            Defaults to 256.
        in_channels (int): Defaults to 3.
        channels (int): Width of the conv layers. Defaults to 64.
        num_blocks (int): Residual blocks. Defaults to 3.
        downscale (int): PixelUnshuffle factor. Defaults to 4.
        norm_cfg (dict, optional): Norm layer after each convolution, e.g.
            ``dict(type='GN', num_groups=8)``; None for none. Defaults to
            ``dict(type='BN')``.
        init_cfg (dict, optional): Defaults to None.
    """

    #: what :class:`LLDifStage2` passes to :meth:`forward`
    takes = 'image'

    def __init__(self,
                 cond_dim: int = 256,
                 in_channels: int = 3,
                 channels: int = 64,
                 num_blocks: int = 3,
                 downscale: int = 4,
                 norm_cfg: Optional[dict] = dict(type='BN'),
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.encoder = nn.Sequential(
            nn.PixelUnshuffle(downscale),
            *conv_norm(in_channels * downscale**2, channels, norm_cfg),
            nn.LeakyReLU(0.1, True),
            *[ResBlock(channels, norm_cfg) for _ in range(num_blocks)],
            *conv_norm(channels, 2 * channels, norm_cfg),
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
