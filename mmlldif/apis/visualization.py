"""Drawing predictions on dark images, for the demos."""
from typing import List

import cv2
import numpy as np


def brighten(img: np.ndarray, target_mean: float = 110.0) -> np.ndarray:
    """A global gain that brings the mean to ``target_mean``, for viewing.

    Args:
        img (np.ndarray): (H, W, 3) uint8 BGR image.
        target_mean (float): Mean 8-bit level after the gain.

    Returns:
        np.ndarray: (H, W, 3) uint8.
    """
    gain = target_mean / max(float(img.mean()), 1.0)
    return np.clip(img.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def draw_faces(img: np.ndarray, faces: List[dict]) -> np.ndarray:
    """The image brightened, enlarged to at least 256 pixels, with a box,
    label and score per face.

    Args:
        img (np.ndarray): (H, W, 3) uint8 BGR image.
        faces (list[dict]): ``box``, ``label_name`` and ``score`` per face,
            as :class:`LLDifInferencer` returns them.

    Returns:
        np.ndarray: The annotated (sH, sW, 3) uint8 image, s >= 1.
    """
    scale = max(1, 256 // max(img.shape[:2]))
    canvas = cv2.resize(
        brighten(img), None, fx=scale, fy=scale,
        interpolation=cv2.INTER_NEAREST)
    for face in faces:
        x1, y1, x2, y2 = (v * scale for v in face['box'])
        cv2.rectangle(canvas, (x1, y1), (x2 - 1, y2 - 1), (0, 255, 0), 2)
        cv2.putText(canvas, f'{face["label_name"]} {face["score"]:.2f}',
                    (x1 + 4, max(y1 - 6, 14)), cv2.FONT_HERSHEY_SIMPLEX,
                    0.55, (0, 255, 0), 2)
    return canvas
