from typing import List

import torch
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.structures import DataSample

from mmlldif.registry import MODELS
from ..utils import drop_training_only
from .prior_guided import build


@MODELS.register_module()
class LACLIPDistilledClassifier(ImageClassifier):
    """An image classifier trained with knowledge distillation from a
    frozen, pretrained LA-CLIP's zero-shot prompt logits (Hinton et al.,
    2015): the control that tells what LLDif's diffusion prior adds over
    plain distillation from the same teacher.

        L = L_ce + DistillationKLLoss(tau, kd_weight)(s, t)

    with ``t`` the teacher's prompt logits of the same (low-light) input and
    ``s`` the student's logits. Prediction uses the student alone; the
    teacher (``TRAINING_ONLY``) is left out of an inference-only release.

    Args:
        teacher (dict): :class:`LACLIP` config, with ``pretrained`` weights;
            it is frozen.
        backbone (dict): The student's backbone, e.g. ``ResNet`` or
            ``LLformer``.
        kd_weight (float): Weight of the distillation term. Defaults to 1.
        tau (float): Distillation temperature. Defaults to 4.
        inference_only (bool): Build without the teacher, to predict from
            an inference-only release. Defaults to False.
        **kwargs: ``neck``, ``head``, ``data_preprocessor``, ``train_cfg``,
            ``init_cfg`` of :class:`ImageClassifier`.
    """

    TRAINING_ONLY = ('teacher', )

    def __init__(self,
                 teacher: dict,
                 backbone: dict,
                 kd_weight: float = 1.0,
                 tau: float = 4.0,
                 inference_only: bool = False,
                 **kwargs):
        super().__init__(backbone=backbone, **kwargs)
        self.teacher = build(dict(teacher, frozen=True))
        self.loss_distill = build(
            dict(type='DistillationKLLoss', tau=tau, loss_weight=kd_weight))
        if inference_only:
            drop_training_only(self)

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        feats = self.extract_feat(inputs)
        losses = self.head.loss(feats, data_samples)
        with torch.no_grad():
            teacher = self.teacher.prompt_logits(inputs)
        losses['loss_kd'] = self.loss_distill(self.head(feats), teacher)
        return losses
