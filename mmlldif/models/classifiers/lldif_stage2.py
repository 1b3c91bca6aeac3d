from typing import List, Optional, Sequence, Set, Tuple

import torch
from mmpretrain.structures import DataSample

from mmlldif.registry import MODELS
from mmlldif.utils.checkpoint import load_submodules
from mmlldif.utils.errors import InputError
from ..utils import drop_training_only
from .prior_guided import (PriorGuidedClassifier, build, prior_length,
                           with_prior_dim)


class Stage1CheckpointError(InputError, ValueError):
    """A checkpoint that stage 2 starts from (``stage1_checkpoint``,
    ``backbone_checkpoint``) is missing or does not fit the model."""


@MODELS.register_module()
class LLDifStage2(PriorGuidedClassifier):
    """LLDif stage 2: predict the prior from the low-light image alone.

    The stage-1 teacher (LA-CLIP + PriorNet) is loaded from
    ``stage1_checkpoint`` and frozen; it gives the target Z from (image,
    label). The condition network encodes the image into ``c``
    (:class:`LACLIPConditionNet`: from the frozen LA-CLIP's image embedding,
    the authors' design; :class:`ConditionNet`: from the pixels;
    :class:`StudentConditionNet`: from the pixels through a student of
    LA-CLIP's embedding), the
    :class:`DiffusionPriorHead` denoises towards Z conditioned on ``c``, and
    the predicted ``Z_hat`` drives the backbone (started from stage 1, or
    from ``backbone_checkpoint``):

        L = L_ce + sum(prior losses(Z_hat, Z))   # default: KL, weight 1
              [+ loss_distill(logits, LA-CLIP prompt logits)]
              [+ the condition network's own loss (a student's)]

    Inference uses the image only: ``Z_hat = diffusion.sample(c)``; the
    teacher's weights that it does not use (``TRAINING_ONLY``: PriorNet,
    and LA-CLIP but for its image tower where the condition takes its
    embedding) are left out of a released checkpoint by
    ``tools/model_converters/publish_model.py --inference-only``.

    Args:
        la_clip (dict): :class:`LACLIP` config, as in stage 1.
        prior_net (dict): :class:`PriorNet` config, as in stage 1.
        condition_net (dict): :class:`LACLIPConditionNet`,
            :class:`ConditionNet` or :class:`StudentConditionNet` config;
            its ``cond_dim`` is PriorNet's ``prior_dim`` (and
            LACLIPConditionNet's ``in_dim``, StudentConditionNet's
            ``embed_dim`` LA-CLIP's embedding length).
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
        inference_only (bool): Build without ``TRAINING_ONLY``, to predict
            from an inference-only release (the model zoo's configs).
            Defaults to False.
        **kwargs: ``loss_distill`` (what the distillation controls add, on
            top of the prior), ``prior_dropout`` (default 0), ``neck``,
            ``head``, ``data_preprocessor``, ``train_cfg``, ``init_cfg`` of
            :class:`PriorGuidedClassifier`.
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
                 inference_only: bool = False,
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
        if self.condition_takes(condition_net) == 'la_clip_embedding':
            condition_net.setdefault('in_dim', self.la_clip.embed_dim)
            # prediction runs LA-CLIP's image tower, not the rest of it
            self.TRAINING_ONLY = ('prior_net', ) + tuple(
                f'la_clip.clip.{name}' for name in dict.fromkeys(
                    key.split('.')[0] for key in self.la_clip.clip.state_dict(
                        keep_vars=True)) if name != 'visual')
        elif getattr(MODELS.get(condition_net['type']), 'learns', None):
            # a student of LA-CLIP's embedding (StudentConditionNet)
            condition_net.setdefault('embed_dim', self.la_clip.embed_dim)
        self.condition_net = build(condition_net)
        self.diffusion = build(diffusion)
        if isinstance(loss_prior, dict):
            loss_prior = [loss_prior]
        self.prior_losses = torch.nn.ModuleList(
            build(cfg) for cfg in loss_prior)
        self.stage1_checkpoint = stage1_checkpoint
        self.backbone_checkpoint = backbone_checkpoint
        if inference_only:
            drop_training_only(self)

    @staticmethod
    def condition_takes(condition_net) -> str:
        """What a condition network (config or module) is given:
        ``'image'`` or ``'la_clip_embedding'``."""
        if isinstance(condition_net, torch.nn.Module):
            return condition_net.takes
        return MODELS.get(condition_net['type']).takes

    def condition(self,
                  inputs: torch.Tensor,
                  image_embeds: Optional[torch.Tensor] = None
                  ) -> torch.Tensor:
        """The diffusion head's condition ``c`` of the low-light images
        (B, 3, H, W), from the images or from LA-CLIP's embedding of them
        (``image_embeds`` where the caller has it), (B, prior_dim)."""
        if self.condition_net.takes == 'image':
            return self.condition_net(inputs)
        if image_embeds is None:
            image_embeds = self.la_clip.encode_image(inputs)
        return self.condition_net(image_embeds)

    def condition_train(self, inputs: torch.Tensor,
                        image_embeds: torch.Tensor) -> Tuple[torch.Tensor,
                                                             dict]:
        """``c`` in training and the condition network's own losses: a
        student of LA-CLIP's embedding (:class:`StudentConditionNet`)
        learns it from ``image_embeds``; the others have none."""
        if hasattr(self.condition_net, 'forward_train'):
            return self.condition_net.forward_train(inputs, image_embeds)
        return self.condition(inputs, image_embeds), {}

    def train(self, mode: bool = True):
        super().train(mode)
        for name in self.TEACHER:
            if hasattr(self, name):  # not built to predict only
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

    def prior(self,
              inputs: torch.Tensor,
              data_samples: Optional[Sequence[DataSample]] = None):
        """Z_hat from the low-light image alone, (B, prior_dim)."""
        return self.diffusion.sample(self.condition(inputs))

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        with torch.no_grad():  # the frozen teacher: its target Z
            embeds = self.la_clip.encode_image(inputs)
            target = self.label_prior(inputs, data_samples, embeds)
        cond, losses = self.condition_train(inputs, embeds)
        pred = self.diffusion.forward_train(target, cond)
        feats = self.extract_feat(
            inputs, pred, prior_strength=self.prior_keep(inputs))
        losses.update(self.head.loss(feats, data_samples))
        for loss_module in self.prior_losses:
            name = 'loss_' + type(loss_module).__name__.replace(
                'Prior', '').replace('Loss', '').lower()
            losses[name] = loss_module(pred, target)
        losses.update(self.distillation_loss(inputs, feats, embeds))
        return losses
