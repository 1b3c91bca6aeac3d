from typing import Iterator, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mmlldif.registry import MODELS


class ChannelLayerNorm(nn.Module):
    """LayerNorm over the channels of a (B, C, H, W) map.

    Args:
        channels (int): Number of channels C.
    """

    def __init__(self, channels: int):
        super().__init__()
        self.norm = nn.LayerNorm(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class PriorModulation(nn.Module):
    """Per-channel affine modulation by the prior: ``(1 + gamma) * x + beta``
    with ``gamma, beta = Linear(prior)``.

    The projection starts at zero, so a fresh block, or a block given no
    prior, is exactly unmodulated. :class:`LLformer` computes the
    projections of all its modulations in one matrix product
    (:func:`prior_affines`) and passes each its ``(scale, shift)``.

    Args:
        prior_dim (int): Length of the prior vector Z.
        channels (int): Number of feature channels C.
    """

    def __init__(self, prior_dim: int, channels: int):
        super().__init__()
        self.channels = channels
        self.proj = nn.Linear(prior_dim, 2 * channels)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def forward(self, x: torch.Tensor,
                affine: Tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        """Args: x (B, C, H, W); affine, ``(1 + gamma, beta)``, each
        (B, C, 1, 1), from :func:`prior_affines`."""
        scale, shift = affine
        return torch.addcmul(shift, x, scale)


def prior_affines(
    modulations: Sequence[PriorModulation],
    prior: torch.Tensor,
    strength: Optional[torch.Tensor] = None
) -> List[Tuple[torch.Tensor, torch.Tensor]]:
    """``(1 + gamma, beta)`` of every modulation, from one matrix product.

    Equal to applying each modulation's projection in turn, in one call
    instead of one per modulation: on a CPU the per-call cost of 16 small
    projections outweighed their arithmetic (docs/method.md, item 10).

    Args:
        modulations (Sequence[PriorModulation]): In any order.
        prior (Tensor): Z, (B, prior_dim).
        strength (Tensor, optional): (B, ) weight of the modulation per
            sample; 0 leaves that sample unmodulated. Defaults to None.

    Returns:
        list[tuple[Tensor, Tensor]]: ``(scale, shift)``, each (B, C, 1, 1),
            per modulation.
    """
    gamma_beta = F.linear(prior,
                          torch.cat([m.proj.weight for m in modulations]),
                          torch.cat([m.proj.bias for m in modulations]))
    if strength is not None:
        gamma_beta = gamma_beta * strength.to(gamma_beta.dtype)[:, None]
    sizes = [size for m in modulations for size in (m.channels, m.channels)]
    parts = gamma_beta[..., None, None].split(sizes, dim=1)
    return [(1 + gamma, beta) for gamma, beta in zip(parts[::2], parts[1::2])]


class DMTA(nn.Module):
    """Dynamic multi-head transposed attention: attention across channels,
    so its cost is linear in the number of pixels (Restormer's MDTA).

    Args:
        channels (int): Number of channels C.
        num_heads (int): Number of heads; C must be divisible by it.
    """

    def __init__(self, channels: int, num_heads: int):
        super().__init__()
        if channels % num_heads:
            raise ValueError(f'DMTA: {channels} channels cannot be split '
                             f'into {num_heads} heads.')
        self.num_heads = num_heads
        self.temperature = nn.Parameter(torch.ones(num_heads, 1, 1))
        self.qkv = nn.Conv2d(channels, 3 * channels, 1)
        self.qkv_dw = nn.Conv2d(
            3 * channels, 3 * channels, 3, padding=1, groups=3 * channels)
        self.proj = nn.Conv2d(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        q, k, v = self.qkv_dw(self.qkv(x)).chunk(3, dim=1)
        q, k, v = (t.reshape(b, self.num_heads, c // self.num_heads, h * w)
                   for t in (q, k, v))
        q = F.normalize(q, dim=-1)
        k = F.normalize(k, dim=-1)
        attn = (q @ k.transpose(-2, -1) * self.temperature).softmax(dim=-1)
        return self.proj((attn @ v).reshape(b, c, h, w))


class DGFN(nn.Module):
    """Dynamic gated feed-forward network: ``GELU(x1) * x2`` after a 1x1 and
    a depthwise 3x3 convolution.

    Args:
        channels (int): Number of channels C.
        ffn_ratio (float): Hidden width over C.
    """

    def __init__(self, channels: int, ffn_ratio: float):
        super().__init__()
        hidden = int(channels * ffn_ratio)
        self.proj_in = nn.Conv2d(channels, 2 * hidden, 1)
        self.dwconv = nn.Conv2d(
            2 * hidden, 2 * hidden, 3, padding=1, groups=2 * hidden)
        self.proj_out = nn.Conv2d(hidden, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = self.dwconv(self.proj_in(x)).chunk(2, dim=1)
        return self.proj_out(F.gelu(x1) * x2)


class LLformerBlock(nn.Module):
    """``x + DMTA(mod(LN(x), Z))`` then ``x + DGFN(mod(LN(x), Z))``.

    Args:
        channels (int): Number of channels C.
        num_heads (int): Heads of DMTA.
        ffn_ratio (float): Hidden width of DGFN over C.
        prior_dim (int, optional): Length of Z; None builds no modulation.
    """

    def __init__(self, channels: int, num_heads: int, ffn_ratio: float,
                 prior_dim: Optional[int]):
        super().__init__()
        self.norm1 = ChannelLayerNorm(channels)
        self.attn = DMTA(channels, num_heads)
        self.norm2 = ChannelLayerNorm(channels)
        self.ffn = DGFN(channels, ffn_ratio)
        if prior_dim:
            self.mod1 = PriorModulation(prior_dim, channels)
            self.mod2 = PriorModulation(prior_dim, channels)

    def forward(self,
                x: torch.Tensor,
                affines: Optional[Sequence[Tuple]] = None) -> torch.Tensor:
        """Args: x (B, C, H, W); affines, the ``(scale, shift)`` of mod1 and
        mod2 (:func:`prior_affines`), or None to run unmodulated."""
        y = self.norm1(x)
        if affines:
            y = self.mod1(y, affines[0])
        x = x + self.attn(y)
        y = self.norm2(x)
        if affines:
            y = self.mod2(y, affines[1])
        return x + self.ffn(y)


class ConvStem(nn.Sequential):
    """A convolutional early stage: 3x3 conv-BN-GELU layers, stride 2 until
    the stem stride is reached, then one at stride 1.

    Transformers trained from scratch on small data learn faster and more
    stably behind a few stride-2 3x3 convolutions than behind one large
    patchifying convolution (Xiao et al., "Early Convolutions Help
    Transformers See Better", 2021); docs/method.md says what it measured
    here.

    Args:
        in_channels (int): Input channels.
        channels (int): Output channels, the first stage's width C.
        stride (int): Total stride, a power of 2.
    """

    def __init__(self, in_channels: int, channels: int, stride: int):
        if stride & (stride - 1):
            raise ValueError('LLformer: a conv stem needs a power-of-2 '
                             f'stem_stride, got {stride}.')
        num_down = stride.bit_length() - 1
        widths = [channels // 2**(num_down - 1 - i) for i in range(num_down)]
        layers, prev = [], in_channels
        for width in widths + [channels]:
            down = 2 if len(layers) < num_down else 1
            layers.append(
                nn.Sequential(
                    nn.Conv2d(prev, width, 3, down, 1, bias=False),
                    nn.BatchNorm2d(width), nn.GELU()))
            prev = width
        super().__init__(*layers)


class Downsample(nn.Sequential):
    """Halve the resolution and double the channels (conv + unshuffle)."""

    def __init__(self, channels: int):
        super().__init__(
            nn.Conv2d(channels, channels // 2, 3, padding=1, bias=False),
            nn.PixelUnshuffle(2))


@MODELS.register_module()
class LLformer(BaseBackbone):
    """LLformer: a hierarchical low-light transformer backbone whose blocks
    are modulated by a compact prior vector Z (LLDif, Wang et al., 2024).

    Each stage stacks :class:`LLformerBlock` s (DMTA + DGFN, Restormer and
    DiffIR style); stages are joined by :class:`Downsample`. Given no prior
    (``prior=None``, or ``prior_dim=None``) it is a plain backbone, usable
    in any mmpretrain classifier::

        backbone=dict(type='mmlldif.LLformer', arch='tiny')

    Args:
        arch (str | dict): ``'tiny'``, ``'small'`` or ``'base'``, or a dict
            with ``embed_dims``, ``depths``, ``num_heads`` and ``ffn_ratio``.
            Defaults to ``'tiny'``.
        in_channels (int): Input channels. Defaults to 3.
        prior_dim (int, optional): Length of Z. None builds no modulation.
            Defaults to 256.
        stem_stride (int): Stride of the stem. 1 keeps the first stage at
            the input resolution (a restoration network's choice); 2 runs
            every stage at half the resolution, which lets a wider network
            cost the same. Defaults to 1.
        stem_type (str): ``'patch'``, one convolution of kernel
            ``2 * stem_stride + 1``; or ``'conv'``, a convolutional early
            stage (:class:`ConvStem`, stem_stride a power of 2).
            Defaults to ``'patch'``.
        out_indices (Sequence[int]): Stages whose output is returned.
            Defaults to (-1, ).
        init_cfg (dict, optional): Initialization config. Defaults to None.

    Examples:
        >>> import torch
        >>> from mmlldif.models import LLformer
        >>> model = LLformer(arch='tiny', prior_dim=256)
        >>> feats = model(torch.rand(2, 3, 48, 48), torch.rand(2, 256))
        >>> feats[-1].shape
        torch.Size([2, 64, 12, 12])
    """

    arch_zoo = {
        'tiny':
        dict(embed_dims=(16, 32, 64), depths=(1, 1, 2), num_heads=(1, 2, 4),
             ffn_ratio=2.0),
        'small':
        dict(embed_dims=(32, 64, 128), depths=(2, 2, 4), num_heads=(1, 2, 4),
             ffn_ratio=2.0),
        'base':
        dict(embed_dims=(48, 96, 192, 384), depths=(2, 3, 3, 4),
             num_heads=(1, 2, 4, 8), ffn_ratio=2.66),
    }

    def __init__(self,
                 arch: Union[str, dict] = 'tiny',
                 in_channels: int = 3,
                 prior_dim: Optional[int] = 256,
                 stem_stride: int = 1,
                 stem_type: str = 'patch',
                 out_indices: Sequence[int] = (-1, ),
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if isinstance(arch, str):
            if arch not in self.arch_zoo:
                raise KeyError(f'LLformer: unknown arch "{arch}"; choose '
                               f'from {sorted(self.arch_zoo)} or give a '
                               'dict.')
            arch = self.arch_zoo[arch]
        dims, depths = tuple(arch['embed_dims']), tuple(arch['depths'])
        heads = tuple(arch['num_heads'])
        if not len(dims) == len(depths) == len(heads):
            raise ValueError('LLformer: embed_dims, depths and num_heads '
                             'need one entry per stage.')
        for prev, nxt in zip(dims[:-1], dims[1:]):
            if nxt != 2 * prev:
                raise ValueError('LLformer: each stage doubles the channels '
                                 f'of the previous one; got {dims}.')
        self.embed_dims = dims
        self.prior_dim = prior_dim
        self.num_stages = len(dims)
        self.out_indices = sorted(i % self.num_stages for i in out_indices)

        if stem_stride < 1:
            raise ValueError(f'LLformer: stem_stride must be >= 1, got '
                             f'{stem_stride}.')
        self.stem_stride = stem_stride
        if stem_type == 'conv':
            self.stem = ConvStem(in_channels, dims[0], stem_stride)
        elif stem_type == 'patch':
            # kernel 2s + 1, padding s: H -> H / s, the 3x3 conv when s = 1
            self.stem = nn.Conv2d(
                in_channels,
                dims[0],
                2 * stem_stride + 1,
                stride=stem_stride,
                padding=stem_stride)
        else:
            raise ValueError(f'LLformer: stem_type must be "patch" or '
                             f'"conv", got "{stem_type}".')
        self.stages = nn.ModuleList()
        self.downsamples = nn.ModuleList()
        for i, (dim, depth, n_heads) in enumerate(zip(dims, depths, heads)):
            self.stages.append(
                nn.ModuleList(
                    LLformerBlock(dim, n_heads, arch['ffn_ratio'], prior_dim)
                    for _ in range(depth)))
            if i < self.num_stages - 1:
                self.downsamples.append(Downsample(dim))
        for i in self.out_indices:
            self.add_module(f'norm{i}', ChannelLayerNorm(dims[i]))

    def train(self, mode: bool = True):
        super().train(mode)
        # BaseBackbone.train returns None; keep ``model.eval()`` chainable
        return self

    def modulation_parameter_names(self) -> List[str]:
        """Names (relative to this backbone) of the prior-modulation weights:
        those a checkpoint of a prior-free LLformer lacks."""
        return [
            f'{name}.{param}' for name, module in self.named_modules()
            if isinstance(module, PriorModulation)
            for param, _ in module.named_parameters()
        ]

    def block_affines(self, prior: Optional[torch.Tensor],
                      strength: Optional[torch.Tensor]) -> Iterator:
        """For each block in order, the ``(scale, shift)`` of its two
        modulations, or None (no prior, or built without modulation)."""
        blocks = [block for stage in self.stages for block in stage]
        if prior is None or not self.prior_dim:
            return iter([None] * len(blocks))
        affines = prior_affines(
            [m for block in blocks for m in (block.mod1, block.mod2)], prior,
            strength)
        return zip(affines[::2], affines[1::2])

    def forward(self,
                x: torch.Tensor,
                prior: Optional[torch.Tensor] = None,
                prior_strength: Optional[torch.Tensor] = None
                ) -> Tuple[torch.Tensor]:
        """Args:
            x (Tensor): Images, (B, C_in, H, W); H and W divisible by
                stem_stride * 2 ** (num_stages - 1).
            prior (Tensor, optional): Z, (B, prior_dim). Defaults to None.
            prior_strength (Tensor, optional): (B, ) weight of the prior's
                modulation per sample; 0 runs that sample without prior.
                Defaults to None (1 for all).

        Returns:
            tuple[Tensor]: One (B, C_i, H / (s 2^i), W / (s 2^i)) map per out
                index, s the stem stride.
        """
        if prior is not None and prior.shape[-1] != self.prior_dim:
            raise ValueError(f'LLformer: prior has {prior.shape[-1]} values, '
                             f'the backbone was built for {self.prior_dim}.')
        affines = self.block_affines(prior, prior_strength)
        x = self.stem(x)
        outs = []
        for i, blocks in enumerate(self.stages):
            for block in blocks:
                x = block(x, next(affines))
            if i in self.out_indices:
                outs.append(getattr(self, f'norm{i}')(x))
            if i < self.num_stages - 1:
                x = self.downsamples[i](x)
        return tuple(outs)
