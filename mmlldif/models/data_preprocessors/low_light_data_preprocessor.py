from typing import List, Optional, Sequence

import numpy as np
import torch
from mmpretrain.models.utils import ClsDataPreprocessor
from mmpretrain.structures import DataSample

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

    :meth:`normal_images` preprocesses the normal-light images that
    ``LowLight(keep_original=True)`` kept (privileged information of a
    stage-1 prior) the same way as the inputs.

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

    def normal_images(self, data_samples: List[DataSample]) -> torch.Tensor:
        """The normal-light images of a batch, preprocessed as the inputs.

        Args:
            data_samples (list[DataSample]): Samples with an ``img_normal``
                field, (H, W, 3) uint8 BGR as ``LowLight(keep_original=
                True)`` keeps it and ``PackInputs(algorithm_keys=
                ['img_normal'])`` packs it.

        Returns:
            Tensor: (B, 3, H, W) on this preprocessor's device.
        """
        images = []
        for i, sample in enumerate(data_samples or []):
            if 'img_normal' not in sample:
                raise KeyError(
                    f'Sample {i} of the batch has no "img_normal": add '
                    'LowLight(keep_original=True) and PackInputs('
                    "algorithm_keys=['img_normal']) to the data pipeline.")
            img = np.ascontiguousarray(sample.img_normal.transpose(2, 0, 1))
            images.append(torch.from_numpy(img))
        return self.forward(dict(inputs=images))['inputs']
