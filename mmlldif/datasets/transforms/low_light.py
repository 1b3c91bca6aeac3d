import copy
import zlib
from typing import Optional

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
}


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

    def _rng(self, results: dict) -> np.random.Generator:
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
        """Draw the darkness and noise levels of one image."""
        p = self.params
        shot = _log_uniform(rng, *p['shot_noise'])
        log_read = (p['read_noise_slope'] * np.log(shot) +
                    p['read_noise_offset'] +
                    rng.normal(0.0, p['read_noise_std']))
        return dict(
            darkness=_log_uniform(rng, *p['darkness']),
            shot_noise=shot,
            read_noise=float(np.exp(log_read)))

    def apply(self, img: np.ndarray, levels: dict,
              rng: np.random.Generator) -> np.ndarray:
        """Darken ``img`` (uint8, (H, W, 3)) with the given levels."""
        gamma = self.params['gamma']
        x = srgb_to_linear(img.astype(np.float32) / 255.0, gamma)
        x = x * levels['darkness']
        variance = x * levels['shot_noise'] + levels['read_noise']
        x = x + rng.standard_normal(x.shape).astype(np.float32) * np.sqrt(
            variance)
        levels_adc = 2**self.params['bits'] - 1
        x = np.round(np.clip(x, 0.0, 1.0) * levels_adc) / levels_adc
        x = linear_to_srgb(x, gamma)
        return np.clip(x * 255.0 + 0.5, 0, 255).astype(np.uint8)

    def transform(self, results: dict) -> dict:
        rng = self._rng(results)
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
    not (the inferencer, the model zoo's inference configs, the darkness
    sweep, which inserts a fixed level of its own).
    """
    return [copy.deepcopy(t) for t in pipeline if t['type'] != 'LowLight']
