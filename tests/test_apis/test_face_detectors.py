"""Offline face detection on a real photo (scikit-image's astronaut) made
dark with ll-v1, and the video demo around it."""
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from fixtures import REPO, STAGE2_CPU as STAGE2
from mmlldif.apis import (HaarFaceDetector, LLDifInferencer, WholeImage,
                          build_face_detector)
from mmlldif.datasets.transforms import darken

skimage_data = pytest.importorskip('skimage.data')
# the face of the astronaut in normal light, found by the plain cascade
FACE = (177, 66, 272, 161)


@pytest.fixture(scope='module')
def astronaut():
    return cv2.cvtColor(skimage_data.astronaut(), cv2.COLOR_RGB2BGR)


def iou(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(w, 0) * max(h, 0)
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1])
    return inter / (area - inter)


@pytest.mark.parametrize('darkness', [0.1, 0.05, 0.02])
def test_haar_finds_the_face_in_the_dark(astronaut, darkness):
    dark = darken(astronaut, darkness)
    assert dark.mean() < 25
    boxes = HaarFaceDetector()(dark)
    assert len(boxes) == 1  # no noise taken for a face
    assert iou(boxes[0], FACE) > 0.6


def test_large_photos_are_detected_on_a_smaller_copy(astronaut):
    """A photo larger than max_side is detected on a copy scaled down to
    it, and the box comes back in the photo's own pixels."""
    big = cv2.resize(astronaut, None, fx=4, fy=4)  # 2048 x 2048
    boxes = HaarFaceDetector(max_side=512)(darken(big, 0.05))
    assert len(boxes) == 1
    assert iou(boxes[0], [4 * v for v in FACE]) > 0.6


def test_exposure_normalisation_is_what_finds_dark_faces(astronaut):
    detector = HaarFaceDetector()
    grey = cv2.cvtColor(darken(astronaut, 0.05), cv2.COLOR_BGR2GRAY)
    assert len(detector.classifier.detectMultiScale(grey, 1.1, 5)) == 0


def test_zero_and_several_faces(astronaut):
    detector = HaarFaceDetector()
    noise = np.random.default_rng(0).integers(0, 20, (200, 300, 3),
                                              dtype=np.uint8)
    assert detector(noise) == []
    x1, y1, x2, y2 = FACE
    crop = astronaut[y1 - 30:y2 + 30, x1 - 30:x2 + 30]
    two = darken(np.hstack([crop, crop]), 0.05)
    boxes = sorted(detector(two))
    assert len(boxes) == 2
    assert boxes[0][2] <= crop.shape[1] <= boxes[1][0]
    assert HaarFaceDetector(max_faces=1)(two) == [max(
        boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))]


def test_build_face_detector():
    assert isinstance(build_face_detector(None), WholeImage)
    assert build_face_detector(
        dict(type='haar', min_neighbors=3)).min_neighbors == 3
    with pytest.raises(KeyError, match='Unknown face detector "yolo"'):
        build_face_detector('yolo')
    with pytest.raises(FileNotFoundError, match='nope.xml'):
        HaarFaceDetector(cascade='nope.xml')


def test_inferencer_with_haar(checkpoint, astronaut):
    inferencer = LLDifInferencer(STAGE2, checkpoint, face_detector='haar')
    faces = inferencer(darken(astronaut, 0.05))[0]['faces']
    assert max(iou(f['box'], FACE) for f in faces) > 0.6
    assert all(len(f['scores']) == 7 for f in faces)


def test_video_demo(checkpoint, astronaut, tmp_path):
    video = str(tmp_path / 'dark.mp4')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), 10,
                             (256, 256))
    small = cv2.resize(astronaut, (256, 256))
    for i in range(6):
        writer.write(darken(np.roll(small, 4 * i, axis=1), 0.05, seed=i))
    writer.release()
    out = str(tmp_path / 'annotated.mp4')
    proc = subprocess.run([
        sys.executable, 'demo/video_demo.py', video, STAGE2, checkpoint,
        '--out', out, '--every', '2'
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with open(osp.splitext(out)[0] + '.json') as f:
        results = json.load(f)
    assert [r['frame'] for r in results] == [0, 2, 4]
    assert all(len(r['faces']) >= 1 for r in results)
    capture = cv2.VideoCapture(out)
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 6
    ok, frame = capture.read()
    assert ok and frame.shape[:2] == (256, 256)
    # run again on the same --out: refused, nothing touched, unless asked
    before = os.path.getmtime(out)
    again = [
        sys.executable, 'demo/video_demo.py', video, STAGE2, checkpoint,
        '--out', out, '--max-frames', '2'
    ]
    proc = subprocess.run(again, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 2 and 'annotated.mp4 and' in proc.stderr
    assert os.path.getmtime(out) == before
    proc = subprocess.run(
        again + ['--overwrite'], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with open(osp.splitext(out)[0] + '.json') as f:
        assert len(json.load(f)) == 2


def test_video_demo_of_frames_too_small(checkpoint, tmp_path):
    video = str(tmp_path / 'tiny.avi')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'MJPG'), 10,
                             (6, 6))
    for _ in range(3):
        writer.write(np.full((6, 6, 3), 100, np.uint8))
    writer.release()
    proc = subprocess.run([
        sys.executable, 'demo/video_demo.py', video, STAGE2, checkpoint,
        '--out', str(tmp_path / 'out.mp4')
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert 'tiny.avi, frame 0: ' in proc.stderr
    assert 'smaller than the minimum 8x8' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_video_demo_bad_source(checkpoint, tmp_path):
    proc = subprocess.run([
        sys.executable, 'demo/video_demo.py',
        str(tmp_path / 'missing.mp4'), STAGE2, checkpoint
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode != 0
    assert 'Cannot open video source' in proc.stderr


def test_a_long_strip_has_no_face_and_loses_nothing(checkpoint):
    """An 8x40000 strip, scaled for detection, once became an empty image
    whose cv2.error lost the whole call; now it has no face and the other
    images of the call are answered."""
    strip = np.full((8, 40000, 3), 120, np.uint8)
    assert HaarFaceDetector()(strip) == []
    inferencer = LLDifInferencer(STAGE2, checkpoint, face_detector='haar')
    results = inferencer([np.full((64, 64, 3), 120, np.uint8), strip])
    assert [r['faces'] for r in results] == [[], []]
