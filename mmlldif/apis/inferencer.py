import os
import os.path as osp
from typing import Callable, List, Optional, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, default_collate
from mmengine.registry import DefaultScope
from mmengine.utils import ProgressBar

from mmlldif.datasets.fer2013 import IMG_EXTENSIONS
from mmlldif.datasets.transforms import (ImageReadError, read_image,
                                         to_bgr_uint8, training_protocol,
                                         without_low_light)
from mmlldif.registry import TRANSFORMS
from mmlldif.utils import register_all_modules
from .face_detectors import Box, build_face_detector
from .model import init_model
from .model_zoo import is_model_name, resolve

ImageInput = Union[str, np.ndarray]


class LLDifInferencer:
    """Recognise the expressions of the faces in images with a trained
    model: LLDif stage 2, or any classifier config of this project.

    Inputs are image paths (str or ``os.PathLike``), folders (every image
    in them, sorted), arrays (H, W, 3 BGR or H, W gray) or lists of these.
    A path that does not exist or a folder without images is an error
    before anything is predicted; an image that exists but cannot be read
    (corrupt, too small, NaN) is reported in its result and the others
    are processed.

    Faces come from ``face_detector``: ``'whole'`` (the default; the whole
    image is the face, as in pre-cropped datasets), ``'haar'`` (OpenCV's
    cascade, shipped with opencv-python, tuned for dark photos; see
    :class:`HaarFaceDetector`), a dict such as
    ``dict(type='haar', min_size=48)``, or any callable mapping a BGR
    image to a list of ``(x1, y1, x2, y2)`` boxes. Zero faces is a normal
    result.

    Args:
        config (str | Config): A model name of the zoo
            (:func:`mmlldif.apis.list_models`), or a model config.
        checkpoint (str, optional): Trained weights, loaded with
            weights-only semantics. Required with a config: without it the
            model would predict with random weights. Defaults to None: with
            a name, the zoo's release weights.
        device (str): Defaults to ``'cpu'``.
        face_detector (str | dict | Callable, optional): See above.
            Defaults to None (``'whole'``).
        batch_size (int): Faces per forward pass. Defaults to 32.

    Examples:
        >>> inferencer = LLDifInferencer('lldif_stage2_ll-fer2013_cpu')
        >>> inferencer('dark_face.png')[0]['faces'][0]['label_name']
        'happy'
        >>> inferencer = LLDifInferencer(
        ...     'configs/lldif/lldif_stage2_ll-fer2013_cpu.py',
        ...     'work_dirs/lldif_stage2_ll-fer2013_cpu/epoch_8.pth')
        >>> inferencer('dark_face.png')[0]['faces'][0]['label_name']
        'happy'
    """

    def __init__(self,
                 config: Union[str, Config],
                 checkpoint: Optional[str] = None,
                 device: str = 'cpu',
                 face_detector: Union[None, str, dict,
                                      Callable[[np.ndarray],
                                               List[Box]]] = None,
                 batch_size: int = 32):
        register_all_modules(init_default_scope=False)
        config, checkpoint = resolve(config, checkpoint or True) if (
            is_model_name(config)) else (config, checkpoint)
        cfg = Config.fromfile(config) if isinstance(config, str) else config
        if cfg.model.type == 'LLDifStage1':
            raise ValueError('LLDifInferencer: a stage-1 model needs the '
                             'label to predict; use the stage-2 config.')
        if checkpoint is None:
            raise ValueError(
                'LLDifInferencer needs trained weights (checkpoint=...): '
                'without them the model predicts with random weights.')
        self.model = init_model(cfg, checkpoint, device)
        with DefaultScope.overwrite_default_scope('mmlldif'):
            self.pipeline = Compose([
                TRANSFORMS.build(t) for t in self._test_pipeline(cfg)
            ])
        self.classes = tuple(
            self.model.dataset_meta.get('classes') or cfg.get('class_names')
            or ())
        self.face_detector = build_face_detector(face_detector)
        self.batch_size = batch_size
        #: the low-light protocol the model was trained on (None: none)
        self.low_light_protocol = training_protocol(cfg)

    @staticmethod
    def _test_pipeline(cfg: Config) -> list:
        """The config's test pipeline without the low-light synthesis: the
        inputs are real dark images."""
        return without_low_light(cfg.test_dataloader.dataset.pipeline)

    @staticmethod
    def expand(inputs) -> List[tuple]:
        """(name, path or array) for every image of ``inputs``.

        Raises:
            FileNotFoundError: A path does not exist.
            ValueError: A folder holds no image files.
        """
        if isinstance(inputs, (str, os.PathLike, np.ndarray)):
            inputs = [inputs]
        items = []
        for i, item in enumerate(inputs):
            if isinstance(item, np.ndarray):
                items.append((f'array_{i}', item))
                continue
            item = os.fspath(item)
            if osp.isdir(item):
                found = [
                    osp.join(item, name) for name in sorted(os.listdir(item))
                    if name.lower().endswith(IMG_EXTENSIONS)
                ]
                if not found:
                    raise ValueError(f'{item}: the folder holds no image '
                                     f'files ({", ".join(IMG_EXTENSIONS)})')
                items.extend((path, path) for path in found)
            elif not osp.exists(item):
                raise FileNotFoundError(f'{item}: no such file or folder')
            else:
                items.append((item, item))
        return items

    @torch.no_grad()
    def predict_faces(self, faces: List[np.ndarray]) -> List[dict]:
        """Label and class scores of face crops (BGR uint8)."""
        results = []
        for start in range(0, len(faces), self.batch_size):
            samples = [
                self.pipeline(dict(img=face, img_id=f'face_{start + i}'))
                for i, face in enumerate(faces[start:start + self.batch_size])
            ]
            data = self.model.data_preprocessor(default_collate(samples))
            for pred in self.model(**data, mode='predict'):
                scores = pred.pred_score.cpu()
                label = int(scores.argmax())
                results.append(
                    dict(
                        label=label,
                        label_name=self.classes[label]
                        if label < len(self.classes) else str(label),
                        score=float(scores[label]),
                        scores=scores.tolist()))
        return results

    def face_boxes(self, img: np.ndarray) -> List[Box]:
        """The detector's boxes, clipped to the image; empty ones dropped."""
        h, w = img.shape[:2]
        boxes = []
        for box in self.face_detector(img):
            x1, y1, x2, y2 = (int(v) for v in box)
            x1, x2 = max(0, x1), min(w, x2)
            y1, y2 = max(0, y1), min(h, y2)
            if x2 > x1 and y2 > y1:
                boxes.append((x1, y1, x2, y2))
        return boxes

    def __call__(self, inputs, show_progress: bool = False) -> List[dict]:
        """Predict every face of every input image.

        Returns:
            list[dict]: One dict per image: ``input``, and either ``faces``
            (a list of ``box``, ``label``, ``label_name``, ``score``,
            ``scores``) or ``error``.
        """
        items = self.expand(inputs)
        progress = ProgressBar(len(items)) if show_progress else None
        results = []
        for name, source in items:
            try:
                img = read_image(source) if isinstance(
                    source, str) else to_bgr_uint8(source, name, min_size=8)
            except ImageReadError as e:
                results.append(dict(input=name, error=str(e)))
            else:
                boxes = self.face_boxes(img)
                crops = [img[y1:y2, x1:x2] for x1, y1, x2, y2 in boxes]
                faces = self.predict_faces(crops) if crops else []
                for box, face in zip(boxes, faces):
                    face['box'] = list(box)
                results.append(dict(input=name, faces=faces))
            if progress:
                progress.update()
        return results
