"""Recognise facial expressions in a dark video file or a webcam stream.

    python demo/video_demo.py INPUT CONFIG CHECKPOINT [--out OUT.mp4]
        [--json OUT.json] [--detector haar|whole] [--every N]
        [--max-frames N] [--darken 0.05] [--device cpu]

INPUT is a video file or a webcam index (``0``). Faces are found with
OpenCV's cascade (``--detector haar``, the default here; no download) and
labelled by the model; the annotated frames, brightened for viewing, go to
``--out`` and the per-frame results to ``--json``. ``--every N`` labels every
N-th frame and draws its faces on the frames in between. A webcam runs until
``--max-frames`` or Ctrl+C.
"""
import argparse
import json
import os
import os.path as osp

import cv2
from mmengine.utils import ProgressBar

from mmlldif.apis import LLDifInferencer
from mmlldif.apis.visualization import draw_faces
from mmlldif.datasets.transforms import darken
from mmlldif.utils.threads import apply_thread_policy


def open_source(source: str) -> cv2.VideoCapture:
    capture = cv2.VideoCapture(int(source) if source.isdigit() else source)
    if not capture.isOpened():
        raise SystemExit(f'Cannot open video source "{source}" (a video '
                         'file, or a webcam index such as 0).')
    return capture


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('input', help='video file or webcam index')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', default='outputs/video_demo.mp4')
    parser.add_argument('--json', help='defaults to --out with .json')
    parser.add_argument(
        '--detector', default='haar', choices=['haar', 'whole'])
    parser.add_argument(
        '--every', type=int, default=1, help='label every N-th frame')
    parser.add_argument('--max-frames', type=int)
    parser.add_argument(
        '--darken', type=float, help='apply ll-v1 with this darkness first')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace --out and --json if they exist (default: refuse)')
    args = parser.parse_args()
    if args.every < 1:
        parser.error(f'--every {args.every}: label every N-th frame, N >= 1')
    if args.darken is not None and not 0 < args.darken <= 1:
        parser.error(f'--darken {args.darken}: a darkness factor is in '
                     '(0, 1]')
    out_json = args.json or osp.splitext(args.out)[0] + '.json'
    existing = [p for p in (args.out, out_json) if osp.exists(p)]
    if existing and not args.overwrite:
        parser.error(f'{" and ".join(existing)} exist: give another --out '
                     '(and --json), or --overwrite to replace them')

    capture = open_source(args.input)
    inferencer = LLDifInferencer(
        args.config,
        args.checkpoint,
        device=args.device,
        face_detector=args.detector)
    fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
    total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    if args.max_frames:
        total = min(total, args.max_frames) if total > 0 else args.max_frames
    progress = ProgressBar(total) if total > 0 else None
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    writer, results, faces, index = None, [], [], 0
    try:
        while args.max_frames is None or index < args.max_frames:
            ok, frame = capture.read()
            if not ok:
                break
            if args.darken:
                frame = darken(frame, args.darken, seed=index)
            if index % args.every == 0:
                result = inferencer(frame)[0]
                if 'error' in result:  # e.g. frames smaller than 8x8
                    raise SystemExit(f'error: {args.input}, frame {index}: '
                                     f'{result["error"]}')
                faces = result['faces']
                results.append(
                    dict(frame=index, time=index / fps, faces=faces))
            canvas = draw_faces(frame, faces)
            if writer is None:
                writer = cv2.VideoWriter(
                    args.out, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                    canvas.shape[1::-1])
            writer.write(canvas)
            index += 1
            if progress:
                progress.update()
    except KeyboardInterrupt:
        print('\nstopped')
    finally:
        capture.release()
        if writer is not None:
            writer.release()
    with open(out_json, 'w') as f:
        json.dump(results, f, indent=1)
    labelled = sum(len(r['faces']) for r in results)
    print(f'\n{index} frames, {labelled} faces labelled -> {args.out}, '
          f'{out_json}')


if __name__ == '__main__':
    apply_thread_policy()
    main()
