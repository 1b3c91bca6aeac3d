import os.path as osp
from typing import Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmlldif.registry import TRANSFORMS


class ImageReadError(ValueError):
    """An image file that cannot be used; the message names the file."""


def to_bgr_uint8(img: np.ndarray,
                 source: str = 'image',
                 min_size: int = 0) -> np.ndarray:
    """Bring a decoded image to 3-channel 8-bit BGR.

    Grayscale is replicated, alpha is dropped, 16-bit and float images are
    rescaled to 8 bits. A 16-bit image is read as holding the fewest bits
    of 10, 12, 14 or 16 that its maximum fits in (cameras and raw
    converters store 10- to 14-bit data in 16-bit files): 12-bit data with
    a maximum of 3000 is scaled by 255 / 4095, not by 255 / 65535, which
    would leave it at 0-12 of 255. A float image is read as 0-1 if its
    maximum is at most 1, else as 0-255.

    Args:
        img (np.ndarray): (H, W), (H, W, 1), (H, W, 3) or (H, W, 4).
        source (str): What to name in errors. Defaults to ``'image'``.
        min_size (int): Smallest accepted height and width. Defaults to 0.

    Returns:
        np.ndarray: (H, W, 3) uint8.

    Raises:
        ImageReadError: The shape or pixel type is not an image's, a float
            image holds NaN or infinity, or it is smaller than
            ``min_size``.
    """
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    if img.ndim != 3 or img.shape[2] not in (3, 4):
        raise ImageReadError(f'{source}: unsupported image shape {img.shape}')
    img = img[..., :3]
    if min(img.shape[:2]) < max(min_size, 1):
        raise ImageReadError(f'{source}: image is {img.shape[1]}x'
                             f'{img.shape[0]} pixels, smaller than the '
                             f'minimum {min_size}x{min_size}')
    if img.dtype == np.uint16:
        bits = next(b for b in (10, 12, 14, 16) if img.max() < 2**b)
        img = (img.astype(np.float32) * (255.0 / (2**bits - 1)) +
               0.5).astype(np.uint8)
    elif img.dtype in (np.float16, np.float32, np.float64):
        if not np.isfinite(img).all():
            raise ImageReadError(f'{source}: float image holds NaN or '
                                 'infinite values')
        scale = 255.0 if img.max() <= 1.0 else 1.0
        img = np.clip(img * scale + 0.5, 0, 255).astype(np.uint8)
    elif img.dtype != np.uint8:
        raise ImageReadError(f'{source}: unsupported pixel type {img.dtype}')
    return np.ascontiguousarray(img)


def read_image(path: str, min_size: int = 8) -> np.ndarray:
    """Read an image file as 3-channel 8-bit BGR, or say clearly why not.

    Args:
        path (str): The image file.
        min_size (int): Smallest accepted height and width. Defaults to 8.

    Returns:
        np.ndarray: (H, W, 3) uint8.

    Raises:
        ImageReadError: The file is missing, empty, truncated, not an image,
            of an unsupported kind or smaller than ``min_size``.
    """
    if not osp.isfile(path):
        raise ImageReadError(f'{path}: image file not found')
    with open(path, 'rb') as f:
        data = f.read()
    if not data:
        raise ImageReadError(f'{path}: image file is empty (0 bytes)')
    if data[:2] == b'\xff\xd8' and data.find(
            b'\xff\xd9', data.rfind(b'\xff\xda')) < 0:
        # no end-of-image marker after the last scan (bytes after it, as
        # some cameras and editors append, are fine)
        raise ImageReadError(f'{path}: JPEG data is truncated (no end '
                             'marker)')
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if img is None:
        raise ImageReadError(f'{path}: cannot decode the file as an image '
                             '(corrupt or not an image format)')
    return to_bgr_uint8(img, path, min_size)


@TRANSFORMS.register_module()
class LoadFERImage(BaseTransform):
    """Load a face image as 3-channel 8-bit BGR.

    Reads ``results['img_path']``, or converts an image the dataset already
    decoded into ``results['img']`` (FER2013's CSV). Grayscale, 16-bit and
    RGBA images are converted; empty, truncated, corrupt and tiny files
    raise :class:`ImageReadError` naming the file.

    Required Keys: ``img_path`` or ``img``.

    Modified Keys: ``img``, ``img_shape``, ``ori_shape``.

    Args:
        min_size (int): Smallest accepted height and width. Defaults to 8.
    """

    def __init__(self, min_size: int = 8):
        self.min_size = min_size

    def transform(self, results: dict) -> Optional[dict]:
        if results.get('img') is not None:
            name = results.get('img_id', 'in-memory image')
            img = to_bgr_uint8(np.asarray(results['img']), str(name))
        else:
            img = read_image(results['img_path'], self.min_size)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(min_size={self.min_size})'
