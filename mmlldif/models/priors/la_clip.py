import os
import os.path as osp
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmlldif.registry import MODELS

DEFAULT_TEMPLATES = ('a photo of a face showing {}.', )


def clip_state_dict(checkpoint: dict, filename: str) -> dict:
    """The open_clip weights of a checkpoint, without prefix.

    Accepts a plain open_clip state dict, or an MMEngine checkpoint of a
    model holding an :class:`LACLIP` (its ``state_dict`` keys start with
    ``la_clip.clip.``, as :class:`LACLIPPretrainer` writes them) or an
    ``open_clip.CLIP`` (``clip.``).

    Raises:
        KeyError: No CLIP weights were found; the message names the file.
    """
    state = checkpoint.get('state_dict', checkpoint)
    for prefix in ('la_clip.clip.', 'clip.', 'module.', ''):
        if any(k.startswith(prefix + 'visual.') for k in state):
            return {
                k[len(prefix):]: v
                for k, v in state.items() if k.startswith(prefix)
            }
    raise KeyError(f'LACLIP: {filename} holds no CLIP weights (no '
                   '"visual.*" keys under "la_clip.clip.", "clip." or no '
                   'prefix). Is it an LA-CLIP pretraining checkpoint?')


def load_clip_weights(clip: nn.Module, filename: str,
                      class_names: Sequence[str]) -> None:
    """Load a local LA-CLIP / open_clip checkpoint into ``clip`` strictly.

    Args:
        clip (nn.Module): An ``open_clip.CLIP`` built from its config.
        filename (str): The checkpoint file, or a pretraining work dir (its
            best-on-val checkpoint is used).
        class_names (Sequence[str]): The classes the prompts will name; a
            pretraining checkpoint that records other classes in its
            ``meta.dataset_meta`` is refused (its text tower has only ever
            seen the prompts of its own classes).

    Raises:
        FileNotFoundError: ``filename`` does not exist.
        ValueError: The weights do not fit ``clip`` or the classes differ.
    """
    from mmlldif.utils.checkpoint import best_checkpoint, load_checkpoint_file
    if osp.isdir(filename):
        filename = best_checkpoint(filename)
    checkpoint = load_checkpoint_file(filename, map_location='cpu')
    classes = checkpoint.get('meta', {}).get('dataset_meta',
                                             {}).get('classes')
    if classes is not None and tuple(classes) != tuple(class_names):
        raise ValueError(
            f'LACLIP: {filename} was pretrained on the classes '
            f'{tuple(classes)}, this model names {tuple(class_names)}.')
    state = clip_state_dict(checkpoint, filename)
    own = clip.state_dict()
    missing = sorted(own.keys() - state.keys())
    unexpected = sorted(state.keys() - own.keys())
    mismatched = sorted(
        k for k, v in state.items() if k in own and v.shape != own[k].shape)
    if missing or unexpected or mismatched:
        raise ValueError(
            f'LACLIP: {filename} does not fit the CLIP of clip_cfg '
            f'({len(missing)} weights missing, e.g. {missing[:2]}; '
            f'{len(unexpected)} unexpected, e.g. {unexpected[:2]}; '
            f'{len(mismatched)} of another shape, e.g. {mismatched[:2]}). '
            'Use the clip_cfg it was pretrained with.')
    clip.load_state_dict(state)


WEIGHTS_SUFFIXES = ('.pt', '.pth', '.bin', '.safetensors')


def is_weights_file(pretrained: Optional[str]) -> bool:
    """Whether ``pretrained`` names a local file (not an open_clip tag)."""
    return bool(pretrained) and osp.splitext(pretrained)[1] in WEIGHTS_SUFFIXES


def load_open_clip_file(clip: nn.Module, filename: str) -> None:
    """Load an open_clip weights file of ``clip``'s architecture with
    open_clip's own loader (safetensors and its format conversions).

    Raises:
        FileNotFoundError: ``filename`` does not exist.
    """
    import open_clip
    if not osp.isfile(filename):
        raise FileNotFoundError(
            f'LACLIP: pretrained CLIP weights not found: {filename}')
    open_clip.load_checkpoint(clip, filename)


def build_open_clip(model_name: Optional[str], pretrained: Optional[str],
                    clip_cfg: Optional[dict]) -> nn.Module:
    """Build an open_clip CLIP model without touching the network.

    Args:
        model_name (str, optional): An open_clip architecture name such as
            ``'ViT-B-32'``.
        pretrained (str, optional): An open_clip tag whose file is already
            in open_clip's cache, loaded here. A local weights file is not
            (:meth:`LACLIP.init_weights` loads it).
        clip_cfg (dict, optional): ``embed_dim``, ``vision_cfg`` and
            ``text_cfg`` of an ``open_clip.CLIP``, randomly initialised.
    """
    import open_clip
    if clip_cfg is not None:
        if model_name:
            raise ValueError('LACLIP: give either clip_cfg or model_name, '
                             'not both.')
        return open_clip.CLIP(**clip_cfg)
    if model_name is None:
        raise ValueError('LACLIP: model_name or clip_cfg is required.')
    tag = None if is_weights_file(pretrained) else pretrained
    # A tag resolves through open_clip's cache; never download.
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    try:
        return open_clip.create_model(model_name, pretrained=tag)
    except Exception as e:  # open_clip raises several types for a miss
        raise RuntimeError(
            f'LACLIP: could not build open_clip model "{model_name}" with '
            f'pretrained="{tag}" offline: {e}') from e


@MODELS.register_module()
class LACLIP(BaseModule):
    """Label-aware CLIP: the joint embedding of an image and the text prompt
    of its label.

    The image tower embeds the (low-light) image; the text tower embeds
    ``template.format(class name)`` for every class once (averaged over
    templates, CLIP-style), and each sample takes its label's row. Both are
    L2-normalised and concatenated.

    With ``with_normal_image`` (privileged information, our extension) the
    image tower also embeds the normal-light image of a synthesised
    low-light sample, appended to the joint embedding; with it,
    ``with_label=False`` leaves the label out (a prior the stage-1 backbone
    cannot read the label from). Either way only the stage-1 teacher needs
    these; stage 2 predicts Z from the low-light image alone.

    The CLIP towers are frozen (and kept in eval mode) by default. When
    frozen, class-prompt embeddings are computed once and cached.

    Args:
        class_names (Sequence[str]): Class names, in label order.
        model_name (str, optional): open_clip architecture, e.g.
            ``'ViT-B-32'``. Defaults to None.
        pretrained (str, optional): With ``model_name``, a local open_clip
            weights file or a cached open_clip tag (loaded when the model
            is built); with ``clip_cfg``, a local LA-CLIP pretraining
            checkpoint (``configs/laclip/``), its work dir, or an open_clip
            state dict of that architecture. Files are loaded by
            :meth:`init_weights` (the runner calls it before training, not
            before testing, so testing a trained model does not need
            them). Nothing is downloaded. Defaults to None.
        clip_cfg (dict, optional): Config of an ``open_clip.CLIP``, randomly
            initialised unless ``pretrained`` is given. Defaults to None.
        templates (Sequence[str]): Prompt templates with one ``{}``.
            Defaults to ``('a photo of a face showing {}.',)``.
        frozen (bool): Freeze both towers. Defaults to True.
        with_label (bool): Embed the label prompt. Defaults to True.
        with_normal_image (bool): Embed the normal-light image too.
            Defaults to False.
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 class_names: Sequence[str],
                 model_name: Optional[str] = None,
                 pretrained: Optional[str] = None,
                 clip_cfg: Optional[dict] = None,
                 templates: Sequence[str] = DEFAULT_TEMPLATES,
                 frozen: bool = True,
                 with_label: bool = True,
                 with_normal_image: bool = False,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if not class_names:
            raise ValueError('LACLIP: class_names must not be empty.')
        if not (with_label or with_normal_image):
            raise ValueError(
                'LACLIP: with_label=False needs with_normal_image=True; a '
                'prior of the low-light image alone adds nothing the '
                'backbone does not see.')
        self.with_label = with_label
        self.with_normal_image = with_normal_image
        self.class_names = tuple(class_names)
        self.templates = tuple(templates)
        self.clip = build_open_clip(model_name, pretrained, clip_cfg)
        # a weights file is read by init_weights, as MMEngine's runner
        # calls it before training: testing a trained model loads the
        # teacher from the model's own checkpoint instead
        self.clip_checkpoint = pretrained if (
            clip_cfg is not None or is_weights_file(pretrained)) else None
        self.from_open_clip_file = clip_cfg is None
        self.frozen = frozen
        if frozen:
            self.clip.requires_grad_(False)
            self.clip.eval()
        visual = self.clip.visual
        size = visual.image_size
        self.image_size = tuple(size) if isinstance(size, (tuple,
                                                           list)) else (size,
                                                                        size)
        self.embed_dim = self.clip.text_projection.shape[-1] if isinstance(
            self.clip.text_projection, torch.Tensor) else visual.output_dim
        self.register_buffer(
            'prompt_tokens', self._tokenize(), persistent=False)
        self._class_embeds = None

    def init_weights(self):
        """Load the ``pretrained`` weights file, if any."""
        super().init_weights()
        if self.clip_checkpoint is None:
            return
        if self.from_open_clip_file:
            load_open_clip_file(self.clip, self.clip_checkpoint)
        else:
            load_clip_weights(self.clip, self.clip_checkpoint,
                              self.class_names)
        self._class_embeds = None

    @property
    def out_dim(self) -> int:
        """Length of the joint embedding."""
        return self.embed_dim * (1 + self.with_label + self.with_normal_image)

    def _tokenize(self) -> torch.Tensor:
        import open_clip
        texts = [t.format(c) for c in self.class_names for t in self.templates]
        return open_clip.tokenize(texts, self.clip.context_length)

    def train(self, mode: bool = True):
        super().train(mode)
        if self.frozen:
            self.clip.eval()
        return self

    def _grad_mode(self):
        """No autograd through frozen towers."""
        return torch.set_grad_enabled(not self.frozen
                                      and torch.is_grad_enabled())

    def prompt_embeddings(self) -> torch.Tensor:
        """Embeddings of every (class, template) prompt, L2-normalised,
        (num_classes, num_templates, embed_dim)."""
        with self._grad_mode():
            embeds = self.clip.encode_text(self.prompt_tokens)
        return F.normalize(embeds, dim=-1).reshape(
            len(self.class_names), len(self.templates), -1)

    def class_embeddings(self) -> torch.Tensor:
        """Prompt embeddings of every class, averaged over the templates,
        (num_classes, embed_dim)."""
        if self.frozen and self._class_embeds is not None and (
                self._class_embeds.device == self.prompt_tokens.device):
            return self._class_embeds
        embeds = F.normalize(self.prompt_embeddings().mean(dim=1), dim=-1)
        if self.frozen:
            self._class_embeds = embeds.detach()
        return embeds

    def encode_image(self, images: torch.Tensor) -> torch.Tensor:
        """Args: images (B, 3, H, W), CLIP-normalised. Returns (B, D)."""
        if tuple(images.shape[-2:]) != self.image_size:
            images = F.interpolate(
                images,
                size=self.image_size,
                mode='bilinear',
                align_corners=False)
        with self._grad_mode():
            embeds = self.clip.encode_image(images)
        return F.normalize(embeds, dim=-1)

    def logit_scale(self) -> torch.Tensor:
        """CLIP's learnt temperature, ``exp(logit_scale)`` capped at 100 as
        in CLIP's training."""
        return self.clip.logit_scale.exp().clamp(max=100)

    def prompt_logits(self,
                      images: torch.Tensor,
                      image_embeds: Optional[torch.Tensor] = None
                      ) -> torch.Tensor:
        """Zero-shot class logits: scaled cosine similarity of each image
        to each class prompt.

        Args:
            images (Tensor): (B, 3, H, W), preprocessed as for
                :meth:`encode_image`.
            image_embeds (Tensor, optional): ``encode_image(images)``,
                (B, embed_dim), where the caller has it already.

        Returns:
            Tensor: (B, num_classes).
        """
        if image_embeds is None:
            image_embeds = self.encode_image(images)
        return self.logit_scale() * image_embeds @ self.class_embeddings().t()

    def forward(self,
                images: torch.Tensor,
                labels: torch.Tensor,
                normal_images: Optional[torch.Tensor] = None,
                image_embeds: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Joint embedding of images, their labels' prompts and, with
        ``with_normal_image``, their normal-light versions.

        Args:
            images (Tensor): (B, 3, H, W), normalised with CLIP's mean/std.
            labels (Tensor): (B, ) class indices.
            normal_images (Tensor, optional): (B, 3, H, W), normalised as
                ``images``; required with ``with_normal_image``.
            image_embeds (Tensor, optional): ``encode_image(images)``,
                (B, embed_dim), where the caller has it already.

        Returns:
            Tensor: (B, out_dim): image, label prompt, normal-light image
            embeddings, each (B, embed_dim), those enabled, in that order.
        """
        parts = [
            self.encode_image(images) if image_embeds is None else image_embeds
        ]
        if self.with_label:
            parts.append(self.class_embeddings()[labels])
        if self.with_normal_image:
            if normal_images is None:
                raise ValueError(
                    'LACLIP(with_normal_image=True) needs the normal-light '
                    'images: keep them in the data pipeline with '
                    "LowLight(keep_original=True) and PackInputs("
                    "algorithm_keys=['img_normal']).")
            parts.append(self.encode_image(normal_images))
        return torch.cat(parts, dim=1)
