"""SynthFER: procedurally drawn cartoon faces with seven expressions.

A stand-in for FER2013 that needs no download, so that the quick start and
the tests run anywhere. Faces are 48x48 grayscale like FER2013's, drawn with
OpenCV from random geometry (position, size, rotation, skin and background
tone, blur, sensor noise); the expression is coded in the eyes, brows and
mouth. It checks that the pipeline learns; it says nothing about accuracy on
real faces.
"""
import os
import os.path as osp
from typing import Dict

import cv2
import numpy as np

from .fer2013 import FER2013

CLASSES = FER2013.METAINFO['classes']
SPLIT_SEEDS = dict(train=1, val=2, test=3)


def _arc(img, center, axes, start, end, color, thickness):
    c = tuple(int(round(v)) for v in center)
    a = tuple(max(1, int(round(v))) for v in axes)
    cv2.ellipse(img, c, a, 0, start, end, color, thickness, cv2.LINE_AA)


def draw_face(label: int, rng: np.random.Generator, size: int = 48):
    """Draw one face of expression ``label`` (FER2013 order).

    Args:
        label (int): 0 angry, 1 disgust, 2 fear, 3 happy, 4 sad, 5 surprise,
            6 neutral.
        rng (np.random.Generator): Source of all randomness.
        size (int): Output side. Defaults to 48.

    Returns:
        np.ndarray: (size, size) uint8 grayscale image.
    """
    s = 4  # draw at 4x and downsample, for smooth lines
    big = size * s
    bg = rng.uniform(20, 120)
    ramp = np.linspace(-1, 1, big)[None, :] * rng.uniform(-40, 40)
    img = np.clip(bg + ramp, 0, 255).repeat(big, 0).astype(np.uint8)
    skin = int(rng.uniform(150, 240))
    ink = int(rng.uniform(0, 40))
    cx = big / 2 + rng.uniform(-3, 3) * s
    cy = big / 2 + rng.uniform(-3, 3) * s
    fw, fh = rng.uniform(14, 19) * s, rng.uniform(18, 23) * s
    _arc(img, (cx, cy), (fw, fh), 0, 360, skin, -1)
    t = max(1, int(rng.uniform(2.0, 3.0) * s))
    ex, ey = rng.uniform(5.5, 8) * s, cy - rng.uniform(4, 7) * s
    my = cy + rng.uniform(8, 11) * s
    mw = rng.uniform(7, 9) * s
    jitter = lambda: rng.uniform(-0.6, 0.6) * s  # noqa: E731

    # eyes
    for side in (-1, 1):
        x = cx + side * ex + jitter()
        if label == 3:  # happy: closed, curved up
            _arc(img, (x, ey + 1 * s), (2.5 * s, 2 * s), 180, 360, ink, t)
        elif label in (2, 5):  # fear, surprise: wide open
            _arc(img, (x, ey), (2.6 * s, 3.2 * s), 0, 360, ink, t)
            _arc(img, (x, ey), (0.9 * s, 0.9 * s), 0, 360, ink, -1)
        elif label == 1:  # disgust: squint
            cv2.line(img, (int(x - 2.5 * s), int(ey)),
                     (int(x + 2.5 * s), int(ey + 0.5 * s)), ink, t)
        else:
            _arc(img, (x, ey), (2 * s, 1.5 * s), 0, 360, ink, -1)

    # brows: inner end relative to outer end (positive = lower)
    tilt = {0: 2.5, 1: 1.5, 2: -1.8, 3: 0.0, 4: -2.5, 5: 0.0, 6: 0.0}[label]
    lift = {2: 2.0, 5: 3.0}.get(label, 0.0)
    by = ey - (4 + lift) * s + jitter()
    for side in (-1, 1):
        outer = (cx + side * (ex + 3 * s), by)
        inner = (cx + side * (ex - 3 * s), by + tilt * s)
        cv2.line(img, tuple(int(v) for v in outer),
                 tuple(int(v) for v in inner), ink, t)

    # mouth
    if label == 3:  # happy: smile
        _arc(img, (cx, my - 2 * s), (mw, 3.5 * s), 10, 170, ink, t)
    elif label == 4:  # sad: frown
        _arc(img, (cx, my + 2.5 * s), (mw, 3 * s), 200, 340, ink, t)
    elif label == 5:  # surprise: small O
        _arc(img, (cx, my), (2.2 * s, 3.2 * s), 0, 360, ink, -1)
    elif label == 2:  # fear: wide open, stretched
        _arc(img, (cx, my), (mw * 1.1, 2.2 * s), 0, 360, ink, -1)
    elif label == 1:  # disgust: raised, crooked upper lip
        pts = np.array([[cx - mw, my], [cx - mw / 3, my - 2 * s],
                        [cx + mw / 3, my - 0.5 * s], [cx + mw, my - 2.5 * s]],
                       np.int32)
        cv2.polylines(img, [pts], False, ink, t, cv2.LINE_AA)
    elif label == 0:  # angry: pressed lips, corners down
        _arc(img, (cx, my + 3 * s), (mw, 2 * s), 220, 320, ink, t)
        cv2.line(img, (int(cx - mw * 0.8), int(my)),
                 (int(cx + mw * 0.8), int(my)), ink, t)
    else:  # neutral
        cv2.line(img, (int(cx - mw), int(my + jitter())),
                 (int(cx + mw), int(my + jitter())), ink, t)

    angle = rng.uniform(-12, 12)
    scale = rng.uniform(0.9, 1.1)
    rot = cv2.getRotationMatrix2D((big / 2, big / 2), angle, scale)
    img = cv2.warpAffine(img, rot, (big, big), borderMode=cv2.BORDER_REFLECT)
    img = cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA)
    img = cv2.GaussianBlur(img, (3, 3), rng.uniform(0.1, 1.0))
    noise = rng.normal(0, rng.uniform(2, 6), img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def make_synthfer(out_dir: str,
                  per_class: Dict[str, int] = None,
                  seed: int = 0) -> Dict[str, int]:
    """Write SynthFER in FER2013's class-folder layout.

    Args:
        out_dir (str): Output root; ``{train,val,test}/<class>/*.png``.
        per_class (dict): Images per class for each split. Defaults to
            ``dict(train=500, val=60, test=100)``.
        seed (int): Base seed; the same seed writes the same files.
            Defaults to 0.

    Returns:
        dict: Number of images written per split.
    """
    per_class = per_class or dict(train=500, val=60, test=100)
    counts = {}
    for split, n in per_class.items():
        rng = np.random.default_rng([seed, SPLIT_SEEDS[split]])
        for label, name in enumerate(CLASSES):
            folder = osp.join(out_dir, split, name)
            os.makedirs(folder, exist_ok=True)
            for i in range(n):
                path = osp.join(folder, f'{split}_{name}_{i:05d}.png')
                cv2.imwrite(path, draw_face(label, rng))
        counts[split] = n * len(CLASSES)
    return counts
