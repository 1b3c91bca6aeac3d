from typing import List, Optional

import torch
import torch.nn as nn
from mmengine.dist import get_dist_info
from mmengine.model import BaseModel
from mmpretrain.structures import DataSample

from mmlldif.registry import MODELS


@MODELS.register_module()
class LACLIPPretrainer(BaseModel):
    """Stage 0 of LLDif: pretrain LA-CLIP's image and text towers on faces.

    LLDif's LA-CLIP is a pre-trained CLIP; none can be downloaded here, so
    the project pretrains its own: CLIP's contrastive loss
    (``open_clip.ClipLoss``) between each face and the prompt of its label
    (``template.format(class name)``), the recipe of FLYP (Goyal et al.,
    CVPR 2023) for fine-tuning CLIP on a labelled set. A batch holds several
    faces of a class, so some of its "negative" prompts are the positive one
    again; the loss then cannot reach zero, and its image-to-text half is
    cross-entropy over the batch's prompts, softened among duplicates.

    The towers are those of the :class:`LACLIP` it holds, so a checkpoint
    of this model loads into ``LACLIP(clip_cfg=..., pretrained=CKPT)``
    unchanged. In ``predict`` mode it classifies zero-shot (each face to
    its nearest class prompt), so MMEngine's validation reports prompt
    accuracy.

    Args:
        la_clip (dict): :class:`LACLIP` config; it is trained
            (``frozen=False`` is set).
        data_preprocessor (dict, optional): Defaults to a
            :class:`LowLightDataPreprocessor` with default arguments; use
            the one of the stage-1 config, so that LA-CLIP later sees
            images preprocessed as in pretraining.
        init_cfg (dict, optional): Defaults to None.

    Examples:
        >>> import torch
        >>> from mmlldif.registry import MODELS
        >>> clip = dict(embed_dim=16,
        ...             vision_cfg=dict(layers=1, width=32, patch_size=8,
        ...                             image_size=16, head_width=16),
        ...             text_cfg=dict(context_length=8, vocab_size=49408,
        ...                           width=16, heads=1, layers=1))
        >>> model = MODELS.build(dict(
        ...     type='LACLIPPretrainer',
        ...     la_clip=dict(type='LACLIP', class_names=['a', 'b'],
        ...                  clip_cfg=clip)))
        >>> model(torch.rand(4, 3, 16, 16)).shape   # prompt logits
        torch.Size([4, 2])
    """

    def __init__(self,
                 la_clip: dict,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if not isinstance(data_preprocessor, nn.Module):
            data_preprocessor = dict(data_preprocessor or {})
            data_preprocessor.setdefault('type', 'LowLightDataPreprocessor')
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.la_clip = MODELS.build(dict(la_clip, frozen=False))
        import open_clip
        rank, world_size = get_dist_info()
        # gather every process's features, as CLIP trains on the global batch
        self.loss_clip = open_clip.ClipLoss(
            gather_with_grad=True, rank=rank, world_size=world_size)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        """``'tensor'``: prompt logits (B, num_classes); ``'loss'``: dict of
        losses; ``'predict'``: data samples with zero-shot scores."""
        if mode == 'tensor':
            return self.la_clip.prompt_logits(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}".')

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DataSample]) -> dict:
        """CLIP loss between the faces (B, 3, H, W) and their label prompts,
        one template drawn per face."""
        if not data_samples or any('gt_label' not in s for s in data_samples):
            raise ValueError('LACLIPPretrainer needs ground-truth labels: '
                             'each face is paired with its label prompt.')
        labels = torch.cat([s.gt_label for s in data_samples]).to(
            inputs.device)
        prompts = self.la_clip.prompt_embeddings()  # (C, templates, D)
        template = torch.randint(
            prompts.shape[1], labels.shape, device=inputs.device)
        loss = self.loss_clip(
            self.la_clip.encode_image(inputs), prompts[labels, template],
            self.la_clip.logit_scale())
        return dict(loss_clip=loss)

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None
                ) -> List[DataSample]:
        """Zero-shot predictions: scores are the softmax of the prompt
        logits."""
        scores = self.la_clip.prompt_logits(inputs).softmax(dim=1)
        if data_samples is None:
            data_samples = [DataSample() for _ in range(scores.shape[0])]
        for sample, score in zip(data_samples, scores):
            sample.set_pred_score(score).set_pred_label(score.argmax())
        return data_samples
