import copy
import zlib
from typing import Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmlldif.registry import TRANSFORMS

# Versioned synthesis protocols. A published number names its protocol; a
# protocol's values never change once released: add a new version instead.
LOW_LIGHT_PROTOCOLS = {
    'll-v1':
    dict(
        # multiplies linear intensities; log-uniform range
        darkness=(0.02, 0.1),
        # Poisson-Gaussian noise as in Brooks et al. 2019: shot variance
        # scale, log-uniform range; read variance tied to it by
        # log(read) = 2.18 * log(shot) + 1.2 + N(0, 0.26^2)
        shot_noise=(5e-4, 5e-3),
        read_noise_slope=2.18,
        read_noise_offset=1.2,
        read_noise_std=0.26,
        # sensor ADC bits of the linear signal before tone mapping
        bits=12,
        gamma=2.2,
    ),
    # ll-v1's camera model over the darkness users photograph in, plus the
    # rest of a camera's pipeline, each step drawn per image (``*_prob``:
    # the share of images it is applied to). See docs/datasets.md.
    'll-v2':
    dict(
        # down to 4 times darker than ll-v1's darkest: with much noise, a
        # face there is below the information floor (docs/datasets.md)
        darkness=(0.005, 0.1),
        # up to 4 times ll-v1's most shot noise
        shot_noise=(5e-4, 2e-2),
        read_noise_slope=2.18,
        read_noise_offset=1.2,
        read_noise_std=0.26,
        bits=12,
        gamma=2.2,
        # the same noise in every channel: a monochrome sensor, or a
        # camera's luminance-only output (ll-v1 noise is per channel)
        mono_noise_prob=0.5,
        # a long exposure's linear motion blur of the scene, in linear
        # light; length as a share of the image's longer side
        motion_blur_prob=0.2,
        blur_length=(0.03, 0.15),
        # a face far away: the scene reaches the sensor at this share of
        # its size, and is brought back up at the end
        low_resolution_prob=0.2,
        scale=(0.35, 0.8),
        # the camera's auto exposure: a digital gain after the ADC to this
        # mean linear level (it amplifies the quantised noise)
        brighten_prob=0.5,
        brighten_to=(0.05, 0.2),
        # the camera's edge-preserving denoiser (bilateral, colour sigma)
        denoise_prob=0.5,
        denoise_sigma=(10.0, 60.0),
        jpeg_prob=0.3,
        jpeg_quality=(40, 95),
    ),
}

#: the camera steps of a protocol beyond ll-v1's: name -> (probability
#: key, value key); a step not drawn for an image gets the value None
CAMERA_STEPS = {
    'blur_length': ('motion_blur_prob', 'blur_length'),
    'scale': ('low_resolution_prob', 'scale'),
    'brighten_to': ('brighten_prob', 'brighten_to'),
    'denoise_sigma': ('denoise_prob', 'denoise_sigma'),
    'jpeg_quality': ('jpeg_prob', 'jpeg_quality'),
}


def face_visibility(img: np.ndarray,
                    levels: dict,
                    gamma: float = 2.2,
                    reading_size: int = 12) -> float:
    """How visible a face stays under ``levels`` (a :meth:`LowLight.draw`):
    its contrast at ``reading_size`` pixels across (people still read an
    expression at 12 to 16; the scene made smaller and blurred as the
    levels say) over the noise left after averaging the sensor's pixels
    into that grid. Below 1 a person sees mostly noise: the information
    floor of the corruption suite. Denoising and JPEG add no information
    and are left out.

    Args:
        img (np.ndarray): The normal-light face, (H, W, 3) uint8.
        levels (dict): Darkness, noise and camera steps of one draw.
        gamma (float): The protocol's gamma. Defaults to 2.2.
        reading_size (int): Pixels across at which the face is read.
            Defaults to 12.
    """
    x = srgb_to_linear(img.astype(np.float32) / 255.0, gamma)
    x = scene_at_sensor(x, levels).mean(axis=2) * levels['darkness']
    noise = np.sqrt(x.mean() * levels['shot_noise'] + levels['read_noise'])
    pixels_per_cell = x.size / reading_size**2
    small = cv2.resize(
        x, (reading_size, reading_size), interpolation=cv2.INTER_AREA)
    return float(small.std() / (noise / np.sqrt(max(pixels_per_cell, 1.0))))


def scene_at_sensor(x: np.ndarray, levels: dict) -> np.ndarray:
    """The linear scene ``x`` (H, W, C) as it reaches the sensor: made
    smaller (``scale``, a face far away) and blurred by motion
    (``blur_length``, a share of the longer side) where the levels say."""
    if levels.get('scale') is not None:
        size = (max(1, round(x.shape[1] * levels['scale'])),
                max(1, round(x.shape[0] * levels['scale'])))
        x = cv2.resize(x, size, interpolation=cv2.INTER_AREA)
    if levels.get('blur_length') is not None:
        length = levels['blur_length'] * max(x.shape[:2])
        if length > 1:
            x = motion_blur(x, length, levels['blur_angle'])
    return x


def srgb_to_linear(x: np.ndarray, gamma: float) -> np.ndarray:
    """Undo a smoothstep tone curve and gamma (Brooks et al. 2019)."""
    x = np.clip(x, 0.0, 1.0)
    x = 0.5 - np.sin(np.arcsin(1.0 - 2.0 * x) / 3.0)
    return np.maximum(x, 1e-8)**gamma


def linear_to_srgb(x: np.ndarray, gamma: float) -> np.ndarray:
    """Apply gamma and the smoothstep tone curve."""
    x = np.clip(x, 1e-8, 1.0)**(1.0 / gamma)
    return 3.0 * x**2 - 2.0 * x**3


def _log_uniform(rng: np.random.Generator, low: float, high: float):
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def motion_blur(img: np.ndarray, length: float, angle: float) -> np.ndarray:
    """Blur ``img`` (H, W, C) float along a line of ``length`` pixels at
    ``angle`` degrees, as a camera or face moving during the exposure."""
    size = int(np.ceil(length)) | 1
    kernel = np.zeros((size, size), np.float32)
    centre = size // 2
    dx = np.cos(np.deg2rad(angle)) * (length - 1) / 2
    dy = np.sin(np.deg2rad(angle)) * (length - 1) / 2
    # a line of sub-pixel samples, splatted bilinearly
    for t in np.linspace(-1, 1, 4 * size):
        x, y = centre + t * dx, centre + t * dy
        x0, y0 = int(np.floor(x)), int(np.floor(y))
        fx, fy = x - x0, y - y0
        for xi, yi, w in ((x0, y0, (1 - fx) * (1 - fy)),
                          (x0 + 1, y0, fx * (1 - fy)),
                          (x0, y0 + 1, (1 - fx) * fy),
                          (x0 + 1, y0 + 1, fx * fy)):
            if 0 <= xi < size and 0 <= yi < size:
                kernel[yi, xi] += w
    kernel /= kernel.sum()
    out = cv2.filter2D(img, -1, kernel, borderType=cv2.BORDER_REFLECT)
    return out.reshape(img.shape)


@TRANSFORMS.register_module()
class LowLight(BaseTransform):
    """Synthesize an extremely low-light image from a normal-light one.

    Unprocessing-style physics (Brooks et al., CVPR 2019; as in MAET,
    ICCV 2021): sRGB to linear light, scale by a darkness factor, add
    shot and read noise, quantise to the sensor's bits, back to sRGB.
    Parameters come from a named, versioned protocol (``'ll-v1'``), which
    keyword arguments may override for experiments.

    In training (``deterministic=False``) every call draws new parameters
    and noise from NumPy's global generator, which MMEngine seeds per
    worker. For val/test (``deterministic=True``) the draw is a function of
    ``seed`` and the sample's ``img_id`` (or ``img_path``, or
    ``sample_idx``) only, so an LL test set is byte-identical on every run,
    machine, batch size and worker count.

    Required Keys: ``img`` (uint8, (H, W, 3)); ``img_id``, ``img_path`` or
    ``sample_idx`` when deterministic.

    Modified Keys: ``img``.

    Added Keys: ``low_light`` (dict of the drawn parameters).

    Args:
        protocol (str): Name of the protocol. Defaults to ``'ll-v1'``.
        deterministic (bool): Fixed draw per sample. Defaults to False.
        seed (int): Seed of the deterministic draws. Defaults to 0.
        keep_original (bool): Also keep the normal-light image as
            ``img_normal``. Defaults to False.
        **overrides: Protocol values to replace, e.g. ``darkness=(0.1,
            0.1)`` for a fixed darkness level.
    """

    def __init__(self,
                 protocol: str = 'll-v1',
                 deterministic: bool = False,
                 seed: int = 0,
                 keep_original: bool = False,
                 **overrides):
        if protocol not in LOW_LIGHT_PROTOCOLS:
            raise KeyError(f'LowLight: unknown protocol "{protocol}"; '
                           f'known: {sorted(LOW_LIGHT_PROTOCOLS)}')
        params = dict(LOW_LIGHT_PROTOCOLS[protocol])
        unknown = set(overrides) - set(params)
        if unknown:
            raise KeyError(f'LowLight: unknown parameters {sorted(unknown)}; '
                           f'"{protocol}" has {sorted(params)}')
        params.update(overrides)
        self.protocol = protocol
        self.params = params
        self.deterministic = deterministic
        self.seed = seed
        self.keep_original = keep_original

    def generator(self, results: dict) -> np.random.Generator:
        """The random generator of one sample: seeded from NumPy's global
        generator in training, from ``seed`` and the sample's id when
        deterministic (so :meth:`draw` of it gives the sample's levels)."""
        if not self.deterministic:
            return np.random.default_rng(np.random.randint(0, 2**31))
        key = results.get('img_id') or results.get('img_path')
        if key is None:
            key = results.get('sample_idx')
        if key is None:
            raise KeyError('LowLight(deterministic=True) needs "img_id", '
                           '"img_path" or "sample_idx" in the sample.')
        return np.random.default_rng(
            [self.seed, zlib.crc32(str(key).encode('utf-8'))])

    def draw(self, rng: np.random.Generator) -> dict:
        """Draw the levels of one image: darkness and noise, and for
        protocols with camera steps (``ll-v2``) whether and how strongly
        each is applied (None: not applied)."""
        p = self.params
        shot = _log_uniform(rng, *p['shot_noise'])
        log_read = (p['read_noise_slope'] * np.log(shot) +
                    p['read_noise_offset'] +
                    rng.normal(0.0, p['read_noise_std']))
        levels = dict(
            darkness=_log_uniform(rng, *p['darkness']),
            shot_noise=shot,
            read_noise=float(np.exp(log_read)))
        if 'mono_noise_prob' not in p:  # ll-v1: nothing more is drawn
            return levels
        levels['mono_noise'] = bool(rng.random() < p['mono_noise_prob'])
        # every value is drawn, applied or not, so that changing one
        # probability leaves the other draws of an image as they were
        for name, (prob, values) in CAMERA_STEPS.items():
            applied = rng.random() < p[prob]
            value = float(rng.uniform(*p[values]))
            levels[name] = value if applied else None
        levels['blur_angle'] = float(rng.uniform(0.0, 180.0))
        if levels['jpeg_quality'] is not None:
            levels['jpeg_quality'] = int(round(levels['jpeg_quality']))
        return levels

    def apply(self, img: np.ndarray, levels: dict,
              rng: np.random.Generator) -> np.ndarray:
        """Darken ``img`` (uint8, (H, W, 3)) with the given levels: the
        scene in linear light (smaller, blurred), darkened, noisy,
        quantised, brightened, tone-mapped; then denoised, brought back
        to its size and JPEG-compressed. Steps a level leaves out (ll-v1:
        all but darkness, noise and quantisation) are skipped."""
        gamma = self.params['gamma']
        height, width = img.shape[:2]
        x = srgb_to_linear(img.astype(np.float32) / 255.0, gamma)
        x = scene_at_sensor(x, levels) * levels['darkness']
        variance = x * levels['shot_noise'] + levels['read_noise']
        if levels.get('mono_noise'):
            variance = variance.mean(axis=2, keepdims=True)
        x = x + rng.standard_normal(variance.shape).astype(
            np.float32) * np.sqrt(variance)
        levels_adc = 2**self.params['bits'] - 1
        x = np.round(np.clip(x, 0.0, 1.0) * levels_adc) / levels_adc
        if levels.get('brighten_to') is not None:
            gain = levels['brighten_to'] / max(float(x.mean()), 1e-6)
            x = np.clip(x * max(gain, 1.0), 0.0, 1.0)
        x = linear_to_srgb(x, gamma)
        out = np.clip(x * 255.0 + 0.5, 0, 255).astype(np.uint8)
        if levels.get('denoise_sigma') is not None:
            out = cv2.bilateralFilter(out, 5, levels['denoise_sigma'], 3)
        if out.shape[:2] != (height, width):
            out = cv2.resize(
                out, (width, height), interpolation=cv2.INTER_LINEAR)
        if levels.get('jpeg_quality') is not None:
            ok, data = cv2.imencode(
                '.jpg', out,
                [cv2.IMWRITE_JPEG_QUALITY, levels['jpeg_quality']])
            out = cv2.imdecode(data, cv2.IMREAD_UNCHANGED).reshape(out.shape)
        return out

    def transform(self, results: dict) -> dict:
        rng = self.generator(results)
        levels = self.draw(rng)
        img = results['img']
        if self.keep_original:
            results['img_normal'] = img
        results['img'] = self.apply(img, levels, rng)
        results['low_light'] = dict(protocol=self.protocol, **levels)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(protocol={self.protocol!r}, '
                f'deterministic={self.deterministic}, seed={self.seed})')


def darken(img: np.ndarray,
           darkness: Optional[float] = None,
           protocol: str = 'll-v1',
           seed: int = 0) -> np.ndarray:
    """Darken one uint8 BGR image, e.g. a photo for the demo.

    Args:
        img (np.ndarray): (H, W, 3) uint8.
        darkness (float, optional): Fixed darkness factor; drawn from the
            protocol when None. Defaults to None.
        protocol (str): Defaults to ``'ll-v1'``.
        seed (int): Defaults to 0.

    Returns:
        np.ndarray: The low-light image, (H, W, 3) uint8.
    """
    overrides = {} if darkness is None else dict(darkness=(darkness, darkness))
    t = LowLight(protocol, deterministic=True, seed=seed, **overrides)
    return t(dict(img=img, img_id='darken'))['img']


def without_low_light(pipeline: list) -> list:
    """A copy of a data pipeline without its ``LowLight`` synthesis.

    The one rule for real dark images: LL-FER configs darken their test
    faces (the benchmark), prediction on a photo that is already dark must
    not (the inferencer; the darkness sweep, which inserts a fixed level
    of its own; ``configs/inference/``, written by this rule and tested
    against it).
    """
    return [copy.deepcopy(t) for t in pipeline if t['type'] != 'LowLight']


def training_protocol(cfg) -> Optional[str]:
    """The low-light protocol a config trains on: its training pipeline's
    ``LowLight`` protocol, None when it trains on the images as they are.
    Tools that darken for a model (the darkness sweep, the web page) use
    it, so that a model is shown the darkness it learnt."""
    pipeline = cfg.get('train_dataloader', {}).get('dataset', {}).get(
        'pipeline', [])
    for step in pipeline:
        if step.get('type') == 'LowLight':
            return step.get('protocol', 'll-v1')
    return None
