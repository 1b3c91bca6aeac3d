from typing import List, Optional

import torch
from mmpretrain.structures import DataSample

from mmlldif.registry import MODELS
from .prior_guided import (PriorGuidedClassifier, prior_length,
                           with_prior_dim)


@MODELS.register_module()
class LLDifStage1(PriorGuidedClassifier):
    """LLDif stage 1: learn the label-aware prior Z and a backbone that uses
    it.

    ``Z = PriorNet(LACLIP(image, label prompt))`` modulates the backbone;
    PriorNet, backbone and head (and LA-CLIP where not frozen) train with
    the head's cross-entropy, plus, with ``loss_distill``, distillation
    from LA-CLIP's prompt logits of the same images:

        L = L_ce(head(backbone(x, Z or none)))
              [+ loss_distill(logits, LA-CLIP prompt logits)]

    Z is built from the ground-truth label, so stage-1 predictions (and its
    validation accuracy) are an *oracle*: the accuracy a perfect prior
    would give, the ceiling of stage 2, not a result on unlabeled images.

    Because Z carries the label, a backbone trained only with Z learns to
    read the label from it and to ignore the image (its features collapse
    where ``1 + gamma`` is near 0), and stage 2, which must start from it,
    then cannot learn. ``prior_dropout`` (our addition) trains that share of
    each batch without the prior, so the backbone keeps seeing faces.

    Args:
        la_clip (dict): :class:`LACLIP` config.
        prior_net (dict): :class:`PriorNet` config; ``in_dim`` defaults to
            the LA-CLIP joint embedding length.
        backbone (dict): Prior-modulated backbone, e.g. ``LLformer``; its
            ``prior_dim`` is PriorNet's.
        prior_dropout (float): Share of training samples classified without
            the prior. Defaults to 0.5.
        **kwargs: ``loss_distill``, ``neck``, ``head``,
            ``data_preprocessor``, ``train_cfg``, ``init_cfg`` of
            :class:`PriorGuidedClassifier`.
    """

    def __init__(self,
                 la_clip: dict,
                 prior_net: dict,
                 backbone: dict,
                 prior_dropout: float = 0.5,
                 **kwargs):
        backbone = with_prior_dim(backbone, 'prior_dim',
                                  prior_length(prior_net), 'LLDifStage1')
        super().__init__(
            backbone=backbone, prior_dropout=prior_dropout, **kwargs)
        self.build_label_prior(la_clip, prior_net)

    def prior(self, inputs: torch.Tensor,
              data_samples: Optional[List[DataSample]]) -> torch.Tensor:
        return self.label_prior(inputs, data_samples)

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        keep = self.prior_keep(inputs)
        # one pass of the image tower for the prior and the distillation
        embeds = self.la_clip.encode_image(inputs)
        feats = self.extract_feat(
            inputs,
            self.label_prior(inputs, data_samples, embeds),
            prior_strength=keep)
        losses = self.head.loss(feats, data_samples)
        losses.update(self.distillation_loss(inputs, feats, embeds))
        return losses
