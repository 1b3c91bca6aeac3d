"""Recognise facial expressions in dark images, folders of images or arrays.

    python demo/image_demo.py INPUT MODEL [CHECKPOINT] [--out-dir DIR]
        [--detector whole|haar] [--darken 0.05] [--device cpu]

MODEL is a name of the model zoo (``mmlldif.apis.list_models()``; its
released weights are used unless CHECKPOINT is given) or a config file with
its CHECKPOINT. INPUT is an image, a folder, or ``skimage:NAME``, a sample
photo of scikit-image (``skimage:astronaut``), to try the model with
nothing downloaded::

    python demo/image_demo.py skimage:astronaut lldif_stage2_ll-fer2013_cpu \
        --detector haar --darken 0.08

Writes ``results.json`` and, for every image, a copy brightened for viewing
with boxes, labels and scores. ``--detector haar`` finds the faces with
OpenCV's cascade (shipped with opencv-python, no download); ``whole`` (the
default) takes the whole image as the face, for pre-cropped faces.
``--darken`` first applies the ll-v1 low-light synthesis with that darkness,
to try the model on a normal photo.

Exits with status 1 and a message naming the path when the input does not
exist or a folder holds no image, and with status 1 after writing the
results of the others when some images could not be read.
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Iterator, Optional

import cv2
import numpy as np

from mmlldif.apis import LLDifInferencer
from mmlldif.apis.visualization import draw_faces
from mmlldif.datasets.transforms import darken, read_image
from mmlldif.utils import InputError
from mmlldif.utils.threads import apply_thread_policy


def sample_photo(spec: str) -> list:
    """[(name, BGR image)] of ``skimage:NAME``, a photo that ships with
    scikit-image."""
    from skimage import data
    name = spec.split(':', 1)[1]
    photo = getattr(data, name, None)
    if not callable(photo):
        raise ValueError(f'{spec}: scikit-image has no sample photo '
                         f'"{name}" (try astronaut)')
    img = np.ascontiguousarray(photo())
    img = cv2.cvtColor(img, cv2.COLOR_RGB2BGR if img.ndim == 3 else
                       cv2.COLOR_GRAY2BGR)
    return [(f'{name}.png', img)]


CHUNK = 16  # images read, predicted and written at a time


def output_path(out_dir: str, name: str, used: set) -> str:
    """``out_dir/STEM.png`` for the input ``name``; ``STEM_EXT.png`` (then
    ``_2``, ...) where an earlier input of the run took that name (``a.jpg``
    and ``a.png`` of one folder)."""
    stem, ext = osp.splitext(osp.basename(name))
    candidates = [stem, f'{stem}_{ext.lstrip(".")}'] if ext else [stem]
    candidates += [f'{candidates[-1]}_{i}' for i in range(2, len(used) + 3)]
    out = next(c for c in candidates if c not in used)
    used.add(out)
    return osp.join(out_dir, out + '.png')


def read_in_chunks(items: list,
                   darkness: Optional[float],
                   skipped: list) -> Iterator[list]:
    """``(name, image)`` of ``items`` (name, path or array), ``CHUNK`` at a
    time, each read (and darkened) only when its chunk is asked for, so
    that memory is that of one chunk, not of every photo of a folder.
    Unreadable files are said and their names added to ``skipped``."""
    for start in range(0, len(items), CHUNK):
        chunk = []
        for name, path in items[start:start + CHUNK]:
            try:
                img = path if isinstance(path,
                                         np.ndarray) else read_image(path)
            except ValueError as e:
                print(f'skipped: {e}')
                skipped.append(name)
                continue
            chunk.append((name, darken(img, darkness) if darkness else img))
        yield chunk


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'input', help='image file, folder, or skimage:NAME (a sample photo)')
    parser.add_argument('model', help='zoo model name or config file')
    parser.add_argument(
        'checkpoint',
        nargs='?',
        help='weights (default: the released ones of a zoo name)')
    parser.add_argument('--out-dir', default='outputs/demo')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--detector',
        default='whole',
        choices=['whole', 'haar'],
        help='how to find faces (default: the whole image is the face)')
    parser.add_argument(
        '--darken',
        type=float,
        help='apply ll-v1 with this darkness factor, in (0, 1], before '
        'predicting')
    args = parser.parse_args()
    if args.darken is not None and not 0 < args.darken <= 1:
        parser.error(f'--darken {args.darken}: a darkness factor is in '
                     '(0, 1] (0.02: very dark, 1: as it is)')

    try:
        inferencer = LLDifInferencer(
            args.model,
            args.checkpoint,
            device=args.device,
            face_detector=args.detector)
        items = sample_photo(args.input) if args.input.startswith(
            'skimage:') else inferencer.expand(args.input)
    except (FileNotFoundError, ValueError, InputError) as e:
        sys.exit(f'error: {e}')
    os.makedirs(args.out_dir, exist_ok=True)
    results, skipped, used = [], [], set()
    for chunk in read_in_chunks(items, args.darken, skipped):
        for (name, img), result in zip(chunk,
                                       inferencer([img for _, img in chunk])):
            result['input'] = name
            result['output'] = output_path(args.out_dir, name, used)
            cv2.imwrite(result['output'],
                        draw_faces(img, result.get('faces', [])))
            faces = ', '.join(f'{f["label_name"]} ({f["score"]:.2f})'
                              for f in result.get('faces', []))
            print(f'{name}: {faces or "no face"} -> {result["output"]}')
            results.append(result)
    with open(osp.join(args.out_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    print(f'results: {osp.join(args.out_dir, "results.json")}')
    if skipped:
        sys.exit(f'error: {len(skipped)} of {len(items)} images could not '
                 'be read (see "skipped" above)')


if __name__ == '__main__':
    apply_thread_policy()
    main()
