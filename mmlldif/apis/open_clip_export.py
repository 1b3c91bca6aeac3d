import json
import os
import os.path as osp
from typing import Tuple

import torch

from mmlldif.models.priors.la_clip import clip_state_dict
from mmlldif.utils.checkpoint import load_checkpoint_file


def export_open_clip(checkpoint: str, clip_cfg: dict, out_dir: str,
                     name: str) -> Tuple[str, str]:
    """Write a pretrained LA-CLIP as an open_clip model: a model config and
    a plain state dict, which open_clip loads without mmlldif.

    Args:
        checkpoint (str): An LA-CLIP pretraining checkpoint (``configs/
            laclip/``), or any mmlldif checkpoint holding an LA-CLIP.
        clip_cfg (dict): The ``open_clip.CLIP`` config it was trained with
            (``model.la_clip.clip_cfg`` of its config).
        out_dir (str): Output folder.
        name (str): open_clip model name of the export.

    Returns:
        tuple[str, str]: Paths of ``NAME.json`` and ``NAME.pth``; load them
        with ``open_clip.add_model_config(json_path)`` and
        ``open_clip.create_model(name, pretrained=pth_path)``.
    """
    state = clip_state_dict(
        load_checkpoint_file(checkpoint, map_location='cpu'), checkpoint)
    os.makedirs(out_dir, exist_ok=True)
    config_path = osp.join(out_dir, f'{name}.json')
    weights_path = osp.join(out_dir, f'{name}.pth')
    with open(config_path, 'w') as f:
        json.dump(clip_cfg, f, indent=2)
    torch.save({k: v.clone() for k, v in state.items()}, weights_path)
    return config_path, weights_path
