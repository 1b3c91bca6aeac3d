import inspect
from typing import List, Optional

import torch
import torch.nn as nn
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.structures import DataSample

from mmlldif.registry import MODELS


def build(cfg):
    """Build a module from a config with mmlldif's registry (which reaches
    mmpretrain's through its parent), whatever the default scope is."""
    if cfg is None or isinstance(cfg, nn.Module):
        return cfg
    return MODELS.build(cfg)


def gt_labels(data_samples: Optional[List[DataSample]],
              who: str) -> torch.Tensor:
    """Ground-truth labels of a batch, (B, ); a clear error if absent."""
    if not data_samples or any('gt_label' not in s for s in data_samples):
        raise ValueError(f'{who} needs ground-truth labels: the stage-1 prior '
                         'is built from the label prompt. Use the stage-2 '
                         'model (LLDifStage2) to predict unlabeled images.')
    return torch.cat([s.gt_label for s in data_samples])


def with_prior_dim(cfg: dict, key: str, prior_dim: int, who: str) -> dict:
    """``cfg`` with ``key`` set to the prior length, so that Z's length is
    given once (PriorNet's ``prior_dim``); a different value already there
    is an error naming both."""
    if isinstance(cfg, nn.Module):
        return cfg
    cfg = dict(cfg)
    if cfg.setdefault(key, prior_dim) != prior_dim:
        raise ValueError(f'{who}: {cfg["type"]}.{key}={cfg[key]} but the '
                         f'prior has {prior_dim} values (prior_net.'
                         f'prior_dim); set it in one place, prior_net.')
    return cfg


def prior_length(prior_net: dict) -> int:
    """Z's length: PriorNet's ``prior_dim`` (its default if unset)."""
    if isinstance(prior_net, nn.Module):
        return prior_net.prior_dim
    if 'prior_dim' in prior_net:
        return prior_net['prior_dim']
    signature = inspect.signature(MODELS.get(prior_net['type']))
    return signature.parameters['prior_dim'].default


class PriorGuidedClassifier(ImageClassifier):
    """An :class:`ImageClassifier` whose backbone takes a prior vector Z.

    Subclasses define :meth:`prior`, the Z used to classify a batch, and
    build ``self.la_clip`` (:meth:`build_label_prior`).

    Args:
        backbone (dict): A prior-modulated backbone such as ``LLformer``.
        loss_distill (dict, optional): A loss between the classifier's
            logits and the frozen LA-CLIP's zero-shot prompt logits of the
            same images, e.g. ``dict(type='DistillationKLLoss')``
            (:meth:`distillation_loss`). Defaults to None (no such term).
        prior_dropout (float): Share of training samples classified without
            the prior (:meth:`prior_keep`), so that the backbone keeps
            reading faces. Defaults to 0.
        neck (dict, optional): Defaults to None.
        head (dict, optional): Defaults to None.
        data_preprocessor (dict, optional): Defaults to None, a
            :class:`LowLightDataPreprocessor` with default arguments.
        train_cfg (dict, optional): Defaults to None.
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 backbone: dict,
                 loss_distill: Optional[dict] = None,
                 prior_dropout: float = 0.,
                 neck: Optional[dict] = None,
                 head: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if not isinstance(data_preprocessor, nn.Module):
            data_preprocessor = dict(data_preprocessor or {})
            data_preprocessor.setdefault('type', 'LowLightDataPreprocessor')
            if train_cfg is not None and 'augments' in train_cfg:
                data_preprocessor.setdefault('batch_augments', train_cfg)
            data_preprocessor = build(data_preprocessor)
        super().__init__(
            backbone=build(backbone),
            neck=build(neck),
            head=build(head),
            data_preprocessor=data_preprocessor,
            train_cfg=train_cfg,
            init_cfg=init_cfg)
        self.loss_distill = build(loss_distill)
        if not 0 <= prior_dropout < 1:
            raise ValueError(f'{type(self).__name__}: prior_dropout must be '
                             f'in [0, 1), got {prior_dropout}.')
        self.prior_dropout = prior_dropout

    def prior_keep(self, inputs: torch.Tensor) -> Optional[torch.Tensor]:
        """The training batch's prior strengths, (B, ): 0 for the share
        ``prior_dropout`` of samples, drawn at random, 1 for the others;
        None (the prior for all) without dropout."""
        if not self.prior_dropout:
            return None
        return (torch.rand(inputs.shape[0], device=inputs.device) >=
                self.prior_dropout).float()

    def build_label_prior(self, la_clip: dict, prior_net: dict) -> None:
        """Build ``self.la_clip`` and ``self.prior_net``, the stage-1 path
        from (image, label) to Z; PriorNet's input length defaults to
        LA-CLIP's joint embedding."""
        self.la_clip = build(la_clip)
        prior_net = dict(prior_net)
        prior_net.setdefault('in_dim', self.la_clip.out_dim)
        self.prior_net = build(prior_net)

    def label_prior(
            self,
            inputs: torch.Tensor,
            data_samples: Optional[List[DataSample]],
            image_embeds: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Z of (image, ground-truth label and, where LA-CLIP takes it, the
        normal-light image), (B, prior_dim); ``image_embeds`` is LA-CLIP's
        embedding of ``inputs`` where the caller has it already."""
        labels = gt_labels(data_samples, type(self).__name__)
        normal = None
        if self.la_clip.with_normal_image:
            normal = self.data_preprocessor.normal_images(data_samples)
        return self.prior_net(
            self.la_clip(inputs, labels.to(inputs.device), normal,
                         image_embeds))

    def distillation_loss(
            self,
            inputs: torch.Tensor,
            feats: torch.Tensor,
            image_embeds: Optional[torch.Tensor] = None) -> dict:
        """``{'loss_kd': loss_distill(logits, teacher)}``: the head's
        logits of ``feats`` against LA-CLIP's prompt logits of ``inputs``
        (B, 3, H, W), or of their embedding ``image_embeds``; empty without
        ``loss_distill``."""
        if self.loss_distill is None:
            return {}
        with torch.no_grad():
            teacher = self.la_clip.prompt_logits(inputs, image_embeds)
        return dict(loss_kd=self.loss_distill(self.head(feats), teacher))

    def prior(self, inputs: torch.Tensor,
              data_samples: Optional[List[DataSample]]) -> torch.Tensor:
        """The prior Z used to classify ``inputs``, (B, prior_dim)."""
        raise NotImplementedError

    def extract_feat(self,
                     inputs: torch.Tensor,
                     prior: Optional[torch.Tensor] = None,
                     stage: str = 'neck',
                     prior_strength: Optional[torch.Tensor] = None):
        """Features of ``inputs`` (B, 3, H, W) under ``prior`` (B, Z)."""
        x = self.backbone(inputs, prior, prior_strength)
        if stage == 'backbone':
            return x
        if self.with_neck:
            x = self.neck(x)
        if stage == 'neck':
            return x
        return self.head.pre_logits(x)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            feats = self.extract_feat(inputs,
                                      self.prior(inputs, data_samples))
            return self.head(feats) if self.with_head else feats
        return super().forward(inputs, data_samples, mode)

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                **kwargs) -> List[DataSample]:
        feats = self.extract_feat(inputs, self.prior(inputs, data_samples))
        return self.head.predict(feats, data_samples, **kwargs)
