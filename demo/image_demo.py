"""Recognise facial expressions in dark images, folders of images or arrays.

    python demo/image_demo.py INPUT CONFIG CHECKPOINT [--out-dir DIR]
        [--darken 0.05] [--device cpu]

Writes ``results.json`` and, for every image, a copy brightened for viewing
with boxes, labels and scores. ``--darken`` first applies the ll-v1 low-light
synthesis with that darkness, to try the model on a normal photo. The whole
image is taken as the face (pre-cropped faces).
"""
import argparse
import json
import os
import os.path as osp

import cv2
import numpy as np

from mmlldif.apis import LLDifInferencer
from mmlldif.datasets.transforms import darken, read_image


def brighten(img: np.ndarray) -> np.ndarray:
    """Gain so that the mean is mid-grey, for viewing only."""
    gain = 110.0 / max(float(img.mean()), 1.0)
    return np.clip(img.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def draw(img: np.ndarray, faces: list) -> np.ndarray:
    scale = max(1, 256 // max(img.shape[:2]))
    canvas = cv2.resize(
        brighten(img),
        None,
        fx=scale,
        fy=scale,
        interpolation=cv2.INTER_NEAREST)
    for face in faces:
        x1, y1, x2, y2 = (v * scale for v in face['box'])
        cv2.rectangle(canvas, (x1, y1), (x2 - 1, y2 - 1), (0, 255, 0), 2)
        cv2.putText(canvas, f'{face["label_name"]} {face["score"]:.2f}',
                    (x1 + 4, y1 + 18), cv2.FONT_HERSHEY_SIMPLEX, 0.55,
                    (0, 255, 0), 2)
    return canvas


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('input', help='image file or folder')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out-dir', default='outputs/demo')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--darken',
        type=float,
        help='apply ll-v1 with this darkness factor before predicting')
    args = parser.parse_args()

    inferencer = LLDifInferencer(
        args.config, args.checkpoint, device=args.device)
    items = inferencer.expand(args.input)
    images, names = [], []
    for name, path in items:
        try:
            img = read_image(path)
        except ValueError as e:
            print(f'skipped: {e}')
            continue
        images.append(darken(img, args.darken) if args.darken else img)
        names.append(name)
    results = inferencer(images, show_progress=True)
    os.makedirs(args.out_dir, exist_ok=True)
    for name, img, result in zip(names, images, results):
        result['input'] = name
        out = osp.join(args.out_dir,
                       osp.splitext(osp.basename(name))[0] + '.png')
        cv2.imwrite(out, draw(img, result.get('faces', [])))
        result['output'] = out
    with open(osp.join(args.out_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    for result in results:
        faces = ', '.join(f'{f["label_name"]} ({f["score"]:.2f})'
                          for f in result.get('faces', []))
        print(f'{result["input"]}: {faces or "no face"} -> '
              f'{result["output"]}')
    print(f'results: {osp.join(args.out_dir, "results.json")}')


if __name__ == '__main__':
    main()
