from typing import Optional, Sequence

import torch
from mmpretrain.models.utils import ClsDataPreprocessor

from mmlldif.registry import MODELS


@MODELS.register_module()
class LowLightDataPreprocessor(ClsDataPreprocessor):
    """mmpretrain's :class:`ClsDataPreprocessor` followed by a per-image
    exposure normalisation.

    In extremely low light a face spans a few grey levels; after the fixed
    mean/std normalisation every image is nearly constant, and networks
    without batch statistics (such as LLformer) learn very slowly from it.
    Standardising each image to zero mean and unit variance is an automatic
    gain: it rescales signal and noise alike, so it adds no
    information, but it puts every image, whatever its darkness, on the same
    scale. The same preprocessor is used for every model compared.

    Args:
        mean (Sequence[float], optional): Per-channel mean, 0-255 scale.
        std (Sequence[float], optional): Per-channel std, 0-255 scale.
        to_rgb (bool): Convert BGR to RGB. Defaults to False.
        standardize (bool): Apply the per-image normalisation.
            Defaults to True.
        eps (float): Added to the std. Defaults to 1e-5.
        **kwargs: Other arguments of :class:`ClsDataPreprocessor`.
    """

    def __init__(self,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None,
                 to_rgb: bool = False,
                 standardize: bool = True,
                 eps: float = 1e-5,
                 **kwargs):
        super().__init__(mean=mean, std=std, to_rgb=to_rgb, **kwargs)
        self.standardize = standardize
        self.eps = eps

    def forward(self, data: dict, training: bool = False) -> dict:
        data = super().forward(data, training)
        if self.standardize:
            data['inputs'] = self.standardize_images(data['inputs'])
        return data

    def standardize_images(self, inputs: torch.Tensor) -> torch.Tensor:
        """Zero mean and unit variance per image of (B, C, H, W)."""
        mean = inputs.mean(dim=(1, 2, 3), keepdim=True)
        std = inputs.std(dim=(1, 2, 3), keepdim=True)
        return (inputs - mean) / (std + self.eps)
