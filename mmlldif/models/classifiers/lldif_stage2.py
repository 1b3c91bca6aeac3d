from typing import List, Optional, Sequence, Set

import torch
from mmpretrain.structures import DataSample

from mmlldif.registry import MODELS
from mmlldif.utils.checkpoint import load_submodules
from .prior_guided import (PriorGuidedClassifier, build, prior_length,
                           with_prior_dim)


class Stage1CheckpointError(ValueError):
    """A checkpoint that stage 2 starts from (``stage1_checkpoint``,
    ``backbone_checkpoint``) is missing or does not fit the model."""


@MODELS.register_module()
class LLDifStage2(PriorGuidedClassifier):
    """LLDif stage 2: predict the prior from the low-light image alone.

    The stage-1 teacher (LA-CLIP + PriorNet) is loaded from
    ``stage1_checkpoint`` and frozen; it gives the target Z from (image,
    label). :class:`ConditionNet` encodes the image into ``c``, the
    :class:`DiffusionPriorHead` denoises towards Z conditioned on ``c``, and
    the predicted ``Z_hat`` drives the backbone (started from stage 1, or
    from ``backbone_checkpoint``):

        L = L_ce + sum(prior losses(Z_hat, Z))   # default: KL, weight 1
              [+ loss_distill(logits, LA-CLIP prompt logits)]

    Inference uses the image only: ``Z_hat = diffusion.sample(c)``; the
    teacher's weights (``TRAINING_ONLY``) are not needed to predict, and
    ``tools/model_converters/publish_model.py --inference-only`` leaves
    them out of a released checkpoint.

    Args:
        la_clip (dict): :class:`LACLIP` config, as in stage 1.
        prior_net (dict): :class:`PriorNet` config, as in stage 1.
        condition_net (dict): :class:`ConditionNet` config; its
            ``cond_dim`` is PriorNet's ``prior_dim``.
        diffusion (dict): :class:`DiffusionPriorHead` config; its
            ``prior_dim`` is PriorNet's.
        backbone (dict): As in stage 1.
        loss_prior (dict | Sequence[dict]): Losses between Z_hat and Z.
            Defaults to ``dict(type='PriorKLLoss')``.
        stage1_checkpoint (str, optional): Stage-1 checkpoint, or a stage-1
            work dir (its ``last_checkpoint`` is used), loaded by
            :meth:`init_weights` at the start of training, teacher
            included (``la_clip.pretrained`` is not read again). Required
            to train; not needed to test a stage-2 checkpoint.
            Defaults to None.
        backbone_checkpoint (str, optional): Start backbone, neck and head
            from this checkpoint (or work dir) instead of from stage 1, e.g.
            a trained LLformer classifier (``configs/baselines/llformer_*``);
            prior modulation weights it lacks start at zero, i.e. without
            modulation. The teacher still comes from stage 1.
            Defaults to None.
        **kwargs: ``loss_distill`` (what the distillation controls add, on
            top of the prior), ``neck``, ``head``, ``data_preprocessor``,
            ``train_cfg``, ``init_cfg`` of :class:`PriorGuidedClassifier`.
    """

    TEACHER = ('la_clip', 'prior_net')
    TRAINING_ONLY = TEACHER
    CLASSIFIER = ('backbone', 'neck', 'head')

    def __init__(self,
                 la_clip: dict,
                 prior_net: dict,
                 condition_net: dict,
                 diffusion: dict,
                 backbone: dict,
                 loss_prior=dict(type='PriorKLLoss'),
                 stage1_checkpoint: Optional[str] = None,
                 backbone_checkpoint: Optional[str] = None,
                 **kwargs):
        # Z's length is PriorNet's; backbone, condition net and diffusion
        # head take it from there
        prior_dim = prior_length(prior_net)
        backbone = with_prior_dim(backbone, 'prior_dim', prior_dim,
                                  'LLDifStage2')
        condition_net = with_prior_dim(condition_net, 'cond_dim', prior_dim,
                                       'LLDifStage2')
        diffusion = with_prior_dim(diffusion, 'prior_dim', prior_dim,
                                   'LLDifStage2')
        super().__init__(backbone=backbone, **kwargs)
        self.build_label_prior(la_clip, prior_net)
        for name in self.TEACHER:
            getattr(self, name).requires_grad_(False).eval()
        self.condition_net = build(condition_net)
        self.diffusion = build(diffusion)
        if isinstance(loss_prior, dict):
            loss_prior = [loss_prior]
        self.prior_losses = torch.nn.ModuleList(
            build(cfg) for cfg in loss_prior)
        self.stage1_checkpoint = stage1_checkpoint
        self.backbone_checkpoint = backbone_checkpoint

    def train(self, mode: bool = True):
        super().train(mode)
        for name in self.TEACHER:
            getattr(self, name).eval()
        return self

    def init_weights(self):
        if self.stage1_checkpoint is None:
            raise Stage1CheckpointError(
                'LLDifStage2 trains from a stage-1 model: set '
                'model.stage1_checkpoint to a stage-1 checkpoint '
                '(e.g. work_dirs/stage1_rafdb/epoch_N.pth).')
        # the teacher comes from stage 1, so LA-CLIP's own pretraining
        # file (stage 0) is not read
        self.la_clip.clip_checkpoint = None
        super().init_weights()
        if self.backbone_checkpoint is None:
            self.load_parts(self.stage1_checkpoint,
                            self.TEACHER + self.CLASSIFIER,
                            'model.stage1_checkpoint')
            return
        self.load_parts(self.stage1_checkpoint, self.TEACHER,
                        'model.stage1_checkpoint')
        modulation = {
            f'backbone.{name}'
            for name in self.backbone.modulation_parameter_names()
        }
        self.load_parts(self.backbone_checkpoint, self.CLASSIFIER,
                        'model.backbone_checkpoint', optional=modulation)

    def load_parts(self,
                   path: str,
                   parts: Sequence[str],
                   key: str,
                   optional: Set[str] = frozenset()) -> None:
        """Load the submodules ``parts`` from a checkpoint or work dir
        (:func:`load_submodules`); a missing or unfitting file is a
        :class:`Stage1CheckpointError` naming ``key``."""
        load_submodules(self, path, parts, key, optional,
                        Stage1CheckpointError)

    def target_prior(self, inputs: torch.Tensor,
                     data_samples: List[DataSample]) -> torch.Tensor:
        """Z of the frozen stage-1 teacher, (B, prior_dim)."""
        with torch.no_grad():
            return self.label_prior(inputs, data_samples)

    def prior(self,
              inputs: torch.Tensor,
              data_samples: Optional[Sequence[DataSample]] = None):
        """Z_hat from the low-light image alone, (B, prior_dim)."""
        return self.diffusion.sample(self.condition_net(inputs))

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        target = self.target_prior(inputs, data_samples)
        pred = self.diffusion.forward_train(target,
                                            self.condition_net(inputs))
        feats = self.extract_feat(inputs, pred)
        losses = self.head.loss(feats, data_samples)
        for loss_module in self.prior_losses:
            name = 'loss_' + type(loss_module).__name__.replace(
                'Prior', '').replace('Loss', '').lower()
            losses[name] = loss_module(pred, target)
        losses.update(self.distillation_loss(inputs, feats))
        return losses
