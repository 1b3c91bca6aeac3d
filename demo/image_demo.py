"""Recognise facial expressions in dark images, folders of images or arrays.

    python demo/image_demo.py INPUT CONFIG CHECKPOINT [--out-dir DIR]
        [--detector whole|haar] [--darken 0.05] [--device cpu]

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

import cv2

from mmlldif.apis import LLDifInferencer
from mmlldif.apis.visualization import draw_faces
from mmlldif.datasets.transforms import darken, read_image


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('input', help='image file or folder')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
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
        help='apply ll-v1 with this darkness factor before predicting')
    args = parser.parse_args()

    inferencer = LLDifInferencer(
        args.config,
        args.checkpoint,
        device=args.device,
        face_detector=args.detector)
    try:
        items = inferencer.expand(args.input)
    except (FileNotFoundError, ValueError) as e:
        sys.exit(f'error: {e}')
    images, names, skipped = [], [], []
    for name, path in items:
        try:
            img = read_image(path)
        except ValueError as e:
            print(f'skipped: {e}')
            skipped.append(name)
            continue
        images.append(darken(img, args.darken) if args.darken else img)
        names.append(name)
    results = inferencer(images, show_progress=True)
    os.makedirs(args.out_dir, exist_ok=True)
    for name, img, result in zip(names, images, results):
        result['input'] = name
        out = osp.join(args.out_dir,
                       osp.splitext(osp.basename(name))[0] + '.png')
        cv2.imwrite(out, draw_faces(img, result.get('faces', [])))
        result['output'] = out
    with open(osp.join(args.out_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1)
    for result in results:
        faces = ', '.join(f'{f["label_name"]} ({f["score"]:.2f})'
                          for f in result.get('faces', []))
        print(f'{result["input"]}: {faces or "no face"} -> '
              f'{result["output"]}')
    print(f'results: {osp.join(args.out_dir, "results.json")}')
    if skipped:
        sys.exit(f'error: {len(skipped)} of {len(items)} images could not '
                 'be read (see "skipped" above)')


if __name__ == '__main__':
    main()
