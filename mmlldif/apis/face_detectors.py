"""Face detectors for :class:`LLDifInferencer` that work offline.

A face detector is any callable ``detector(img) -> list of (x1, y1, x2, y2)``
taking a BGR uint8 image. Two ship with mmlldif:

- :class:`WholeImage`: the whole image is the face (pre-cropped datasets).
- :class:`HaarFaceDetector`: OpenCV's Viola-Jones frontal-face cascade, whose
  model file comes inside the ``opencv-python`` wheel, with an exposure
  normalisation that lets it find faces in very dark photos.
"""
import os.path as osp
from typing import Callable, List, Optional, Tuple, Union

import cv2
import numpy as np

Box = Tuple[int, int, int, int]  # x1, y1, x2, y2


class WholeImage:
    """The whole image is one face."""

    def __call__(self, img: np.ndarray) -> List[Box]:
        h, w = img.shape[:2]
        return [(0, 0, w, h)]


class HaarFaceDetector:
    """OpenCV's Haar-cascade face detector, made to work in the dark.

    Before detection the image is turned grey, smoothed (the noise of a dark
    photo makes false edges), scaled to a mean of 110 and
    histogram-equalised. On the scikit-image astronaut darkened with ``ll-v1``
    to darkness 0.1, 0.05 and 0.02 (mean 8-bit level 22, 12 and 6) the face is
    found at every level; the cascade alone finds it only at 0.1.

    Args:
        cascade (str): A cascade file name in ``cv2.data.haarcascades`` or a
            path. Defaults to ``'haarcascade_frontalface_default.xml'``.
        scale_factor (float): Image pyramid step. Defaults to 1.1.
        min_neighbors (int): Overlapping detections needed to keep one;
            higher means fewer false faces. Sensor noise makes false faces
            in dark photos: on the darkened astronaut OpenCV's usual 5 also
            kept one or two noise boxes at darkness 0.05 and 0.02, 8 kept
            exactly the face at 0.1, 0.05 and 0.02. Defaults to 8.
        min_size (int): Smallest face side in pixels. Defaults to 24.
        smooth_sigma (float): Gaussian blur before detection; 0 turns it off.
            Defaults to 1.5.
        max_faces (int, optional): Keep only the largest faces.
            Defaults to None (all).
        max_side (int, optional): Detect on a copy scaled down so that its
            longer side is at most this (boxes are scaled back); a
            10000x10000 photo otherwise takes about a minute and 6 GB.
            Faces smaller than ``min_size * longer side / max_side`` pixels
            are then missed. None detects at full size. Defaults to 1280.
    """

    def __init__(self,
                 cascade: str = 'haarcascade_frontalface_default.xml',
                 scale_factor: float = 1.1,
                 min_neighbors: int = 8,
                 min_size: int = 24,
                 smooth_sigma: float = 1.5,
                 max_faces: Optional[int] = None,
                 max_side: Optional[int] = 1280):
        path = cascade if osp.isfile(cascade) else osp.join(
            cv2.data.haarcascades, cascade)
        self.classifier = cv2.CascadeClassifier(path)
        if self.classifier.empty():
            raise FileNotFoundError(
                f'HaarFaceDetector: cannot load the cascade "{cascade}" '
                f'(looked for {path}).')
        self.scale_factor = scale_factor
        self.min_neighbors = min_neighbors
        self.min_size = min_size
        self.smooth_sigma = smooth_sigma
        self.max_faces = max_faces
        self.max_side = max_side

    def normalise(self, img: np.ndarray) -> np.ndarray:
        """(H, W, 3) BGR uint8 -> (H, W) uint8 grey, exposure-normalised."""
        grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32)
        if self.smooth_sigma > 0:
            grey = cv2.GaussianBlur(grey, (0, 0), self.smooth_sigma)
        grey *= 110.0 / max(float(grey.mean()), 1e-3)
        return cv2.equalizeHist(np.clip(grey, 0, 255).astype(np.uint8))

    def __call__(self, img: np.ndarray) -> List[Box]:
        scale = 1.0
        if self.max_side and max(img.shape[:2]) > self.max_side:
            scale = self.max_side / max(img.shape[:2])
            height, width = img.shape[:2]
            # at least a pixel each way: an 8x40000 strip stays a strip
            img = cv2.resize(
                img, (max(1, round(width * scale)), max(1, round(
                    height * scale))),
                interpolation=cv2.INTER_AREA)
        if min(img.shape[:2]) < self.min_size:
            return []  # no face of min_size fits
        found = self.classifier.detectMultiScale(
            self.normalise(img),
            scaleFactor=self.scale_factor,
            minNeighbors=self.min_neighbors,
            minSize=(self.min_size, self.min_size))
        boxes = sorted((tuple(
            int(round(v / scale)) for v in (x, y, x + w, y + h))
                        for x, y, w, h in found),
                       key=lambda b: (b[2] - b[0]) * (b[3] - b[1]),
                       reverse=True)
        return boxes[:self.max_faces]


FACE_DETECTORS = dict(whole=WholeImage, haar=HaarFaceDetector)


def build_face_detector(
        detector: Union[None, str, dict, Callable]) -> Callable:
    """A face detector from a name (``'whole'``, ``'haar'``), a dict with
    ``type`` and arguments, a callable, or None (``'whole'``)."""
    if detector is None:
        return WholeImage()
    if callable(detector):
        return detector
    if isinstance(detector, str):
        detector = dict(type=detector)
    args = dict(detector)
    name = args.pop('type', None)
    if name not in FACE_DETECTORS:
        raise KeyError(f'Unknown face detector "{name}"; choose from '
                       f'{sorted(FACE_DETECTORS)} or pass a callable.')
    return FACE_DETECTORS[name](**args)
