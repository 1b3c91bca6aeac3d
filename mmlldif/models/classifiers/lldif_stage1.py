from typing import List, Optional

import torch
from mmpretrain.structures import DataSample

from mmlldif.registry import MODELS
from .prior_guided import PriorGuidedClassifier, build, gt_labels


@MODELS.register_module()
class LLDifStage1(PriorGuidedClassifier):
    """LLDif stage 1: learn the label-aware prior Z and a backbone that uses
    it.

    ``Z = PriorNet(LACLIP(image, label prompt))`` modulates the backbone;
    PriorNet, backbone and head (and LA-CLIP where not frozen) train with
    the head's cross-entropy.

    Z is built from the ground-truth label, so stage-1 predictions (and its
    validation accuracy) are an *oracle*: the accuracy a perfect prior
    would give, the ceiling of stage 2, not a result on unlabeled images.

    Args:
        la_clip (dict): :class:`LACLIP` config.
        prior_net (dict): :class:`PriorNet` config; ``in_dim`` defaults to
            the LA-CLIP joint embedding length.
        backbone (dict): Prior-modulated backbone, e.g. ``LLformer``.
        neck (dict, optional): Defaults to None.
        head (dict, optional): Defaults to None.
        data_preprocessor (dict, optional): Defaults to None.
        train_cfg (dict, optional): Defaults to None.
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self, la_clip: dict, prior_net: dict, backbone: dict,
                 **kwargs):
        super().__init__(backbone=backbone, **kwargs)
        self.la_clip = build(la_clip)
        prior_net = dict(prior_net)
        prior_net.setdefault('in_dim', self.la_clip.out_dim)
        self.prior_net = build(prior_net)

    def prior(self, inputs: torch.Tensor,
              data_samples: Optional[List[DataSample]]) -> torch.Tensor:
        labels = gt_labels(data_samples, type(self).__name__)
        return self.prior_net(self.la_clip(inputs, labels.to(inputs.device)))

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        feats = self.extract_feat(inputs, self.prior(inputs, data_samples))
        return self.head.loss(feats, data_samples)
