import io
import os
import os.path as osp
import re
import warnings
from typing import Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmlldif.registry import TRANSFORMS
from mmlldif.utils.errors import InputError


class ImageReadError(InputError, ValueError):
    """An image file that cannot be used; the message names the file."""


def to_bgr_uint8(img: np.ndarray,
                 source: str = 'image',
                 min_size: int = 0) -> np.ndarray:
    """Bring a decoded image to 3-channel 8-bit BGR.

    Grayscale is replicated, alpha is dropped, 16-bit and float images are
    rescaled to 8 bits. A 16-bit image is scaled by 255 / 65535, as its
    type declares, whatever its pixels hold: a dark 16-bit photo stays as
    dark as it is (guessing the depth from the brightest pixel would
    brighten a dark face many times over). A float image is read as 0-1
    if its maximum is at most 1, else as 0-255.

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
        img = (img.astype(np.float32) * (255.0 / 65535) + 0.5).astype(
            np.uint8)
    elif img.dtype in (np.float16, np.float32, np.float64):
        if not np.isfinite(img).all():
            raise ImageReadError(f'{source}: float image holds NaN or '
                                 'infinite values')
        scale = 255.0 if img.max() <= 1.0 else 1.0
        img = np.clip(img * scale + 0.5, 0, 255).astype(np.uint8)
    elif img.dtype != np.uint8:
        raise ImageReadError(f'{source}: unsupported pixel type {img.dtype}')
    return np.ascontiguousarray(img)


#: the most pixels an image may have (``MMLLDIF_MAX_IMAGE_PIXELS`` sets
#: another): checked from the file's header before decoding, since a few
#: bytes can declare an image of many gigabytes
MAX_IMAGE_PIXELS = 64 * 10**6


def max_image_pixels() -> int:
    """:data:`MAX_IMAGE_PIXELS`, or ``MMLLDIF_MAX_IMAGE_PIXELS`` where set.

    Raises:
        ValueError: The variable is not a positive whole number; the
            message names it.
    """
    value = os.environ.get('MMLLDIF_MAX_IMAGE_PIXELS')
    if value is None:
        return MAX_IMAGE_PIXELS
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if limit < 1:
        raise ValueError(f'MMLLDIF_MAX_IMAGE_PIXELS={value!r}: the most '
                         'pixels an image may have, a whole number >= 1 '
                         '(e.g. 64000000)')
    return limit


def declared_pixels(data: bytes) -> Optional[int]:
    """The pixels an image file's header declares, without decoding them;
    None for a format Pillow does not know."""
    from PIL import Image
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', Image.DecompressionBombWarning)
            width, height = Image.open(io.BytesIO(data)).size
        return width * height
    except Image.DecompressionBombError:  # more than twice Pillow's limit
        return 2 * Image.MAX_IMAGE_PIXELS + 1
    except Exception:  # not an image Pillow identifies: cv2 may decode it
        return None


#: libjpeg's warnings that mean the picture is wrong (it decodes anyway,
#: with garbage or grey where the data was damaged)
CORRUPT_JPEG = ('Corrupt JPEG data: premature end', 'bad Huffman code',
                'Corrupt JPEG data: found marker', 'Premature end of JPEG',
                'Huffman table', 'Bogus')
MAX_JPEG_LEFTOVER = 32


def check_jpeg_data(data: bytes, path: str) -> None:
    """Refuse a JPEG whose compressed data is damaged: libjpeg decodes
    such a file with a warning and returns garbage rows (a quarter of the
    bytes zeroed: 320 of 512 rows). Warnings that lose nothing (extraneous
    bytes before a marker, unknown JFIF revision) and files this decoder
    does not take (12-bit, arithmetic coding) are left to OpenCV.

    Damaged data can also end the picture early, leaving the rest of the
    data unread: more than ``MAX_JPEG_LEFTOVER`` bytes before the end
    marker (an encoder pads with a few at most) is refused as well, and
    so is a JPEG cut short (no end-of-image marker after its last scan;
    bytes after the marker, as some cameras and editors append, are
    fine)."""
    if data.find(b'\xff\xd9', data.rfind(b'\xff\xda')) < 0:
        raise ImageReadError(f'{path}: JPEG data is truncated (no end '
                             'marker)')
    import simplejpeg
    try:
        simplejpeg.decode_jpeg(
            data, strict=True, fastdct=True, fastupsample=True)
    except ValueError as e:
        leftover = re.match(r'Corrupt JPEG data: (\d+) extraneous bytes '
                            r'before marker 0xd9', str(e))
        if any(kind in str(e) for kind in CORRUPT_JPEG) or (
                leftover and int(leftover.group(1)) > MAX_JPEG_LEFTOVER):
            raise ImageReadError(f'{path}: JPEG data is corrupt ({e}); the '
                                 'picture would be partly garbage') from None


def read_image(path: str,
               min_size: int = 8,
               max_pixels: Optional[int] = None) -> np.ndarray:
    """Read an image file as 3-channel 8-bit BGR, or say clearly why not.

    The EXIF orientation of a photo is applied, as cameras and phones mean
    it (a face stored sideways is read upright).

    Args:
        path (str): The image file.
        min_size (int): Smallest accepted height and width. Defaults to 8.
        max_pixels (int, optional): Most pixels accepted, checked before
            decoding. Defaults to :func:`max_image_pixels`.

    Returns:
        np.ndarray: (H, W, 3) uint8.

    Raises:
        ImageReadError: The file is missing, empty, truncated, corrupt (a
            damaged JPEG), not an image, of an unsupported kind, smaller
            than ``min_size`` or larger than ``max_pixels``.
    """
    if not osp.isfile(path):
        raise ImageReadError(f'{path}: image file not found')
    with open(path, 'rb') as f:
        data = f.read()
    if not data:
        raise ImageReadError(f'{path}: image file is empty (0 bytes)')
    max_pixels = max_pixels or max_image_pixels()
    pixels = declared_pixels(data)
    if pixels and pixels > max_pixels:
        raise ImageReadError(
            f'{path}: the image declares {pixels} pixels, more than the '
            f'limit of {max_pixels} (MMLLDIF_MAX_IMAGE_PIXELS); downscale '
            'it first')
    if data[:2] == b'\xff\xd8':  # decodes it: after the pixel limit
        check_jpeg_data(data, path)
    try:
        # any depth and colour, EXIF orientation applied (IMREAD_UNCHANGED
        # would ignore it)
        img = cv2.imdecode(
            np.frombuffer(data, np.uint8),
            cv2.IMREAD_ANYDEPTH | cv2.IMREAD_ANYCOLOR)
    except cv2.error as e:
        raise ImageReadError(f'{path}: cannot decode the image: '
                             f'{str(e).strip().splitlines()[-1]}') from None
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
