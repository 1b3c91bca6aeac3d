import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
from mmengine.config import Config

from fixtures import REPO, STAGE2_CPU as STAGE2
from mmlldif.apis import LLDifInferencer
from mmlldif.utils import CheckpointMismatchError


def face(seed, size=48):
    return np.random.default_rng(seed).integers(
        0, 40, (size, size, 3), dtype=np.uint8)


def test_arrays_and_determinism(checkpoint):
    inferencer = LLDifInferencer(STAGE2, checkpoint)
    results = inferencer([face(0), face(1)[..., 0]])
    assert [r['input'] for r in results] == ['array_0', 'array_1']
    first = results[0]['faces'][0]
    assert first['box'] == [0, 0, 48, 48]
    assert first['label_name'] in inferencer.classes
    assert len(first['scores']) == 7
    assert abs(sum(first['scores']) - 1) < 1e-4
    again = inferencer(face(0))[0]['faces'][0]
    assert again['scores'] == pytest.approx(first['scores'], abs=1e-5)


@pytest.mark.parametrize('boxes', [[], [(0, 0, 24, 48)],
                                   [(0, 0, 24, 48), (24, 0, 48, 48)]])
def test_zero_one_several_faces(checkpoint, boxes):
    inferencer = LLDifInferencer(
        STAGE2, checkpoint, face_detector=lambda img: boxes)
    faces = inferencer(face(2))[0]['faces']
    assert [f['box'] for f in faces] == [list(b) for b in boxes]


def test_folder_with_a_corrupt_image(checkpoint, tmp_path):
    for i in range(3):
        cv2.imwrite(str(tmp_path / f'{i}.png'), face(i))
    (tmp_path / '1.png').write_bytes(b'not a png')
    results = LLDifInferencer(STAGE2, checkpoint)(str(tmp_path))
    assert [osp.basename(r['input']) for r in results] == [
        '0.png', '1.png', '2.png'
    ]
    assert 'cannot decode' in results[1]['error']
    assert 'faces' in results[0] and 'faces' in results[2]


def test_checkpoint_for_another_class_count_is_refused(checkpoint):
    cfg = Config.fromfile(STAGE2)
    cfg.model.head.num_classes = 8
    with pytest.raises(CheckpointMismatchError, match='head.fc.weight'):
        LLDifInferencer(cfg, checkpoint)


def test_stage1_config_is_refused():
    with pytest.raises(ValueError, match='stage-2 config'):
        LLDifInferencer(
            osp.join(REPO, 'configs/lldif/lldif_stage1_ll-fer2013_cpu.py'))


def test_demo_reads_a_folder_one_chunk_at_a_time(tmp_path):
    """image_demo.py holds one chunk of decoded photos, not the folder's:
    the photos after the first chunk are not read before it is done."""
    sys.path.insert(0, osp.join(REPO, 'demo'))
    from image_demo import CHUNK, read_in_chunks
    good = str(tmp_path / 'face.png')
    cv2.imwrite(good, np.full((48, 48, 3), 100, np.uint8))
    # the second chunk's files are missing: reading them says so
    items = [(f'{i}.png', good) for i in range(CHUNK)] + [
        (f'missing{i}.png', str(tmp_path / f'missing{i}.png'))
        for i in range(3)
    ]
    skipped = []
    chunks = read_in_chunks(items, None, skipped)
    first = next(chunks)
    assert len(first) == CHUNK and skipped == []
    assert next(chunks) == [] and len(skipped) == 3
    darkened = next(read_in_chunks(items[:1], 0.05, []))[0][1]
    assert darkened.mean() < 50


def test_demo_writes_annotated_image_and_json(checkpoint, tmp_path):
    folder = tmp_path / 'photos'
    folder.mkdir()
    # two photos of one name but their extension: two outputs, not one
    cv2.imwrite(str(folder / 'photo.png'), np.full((64, 64, 3), 150,
                                                   np.uint8))
    cv2.imwrite(str(folder / 'photo.jpg'), np.full((80, 80, 3), 90,
                                                   np.uint8))
    out = str(tmp_path / 'out')
    proc = subprocess.run([
        sys.executable, 'demo/image_demo.py',
        str(folder), STAGE2, checkpoint, '--out-dir', out, '--darken', '0.05'
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with open(osp.join(out, 'results.json')) as f:
        results = json.load(f)
    assert len(results) == 2 and len(results[0]['faces']) == 1
    outputs = [r['output'] for r in results]
    assert len(set(outputs)) == 2
    # each output is its own photo's (drawn enlarged for viewing)
    heights = sorted(cv2.imread(o).shape[0] for o in outputs)
    assert heights[0] >= 64 and heights[0] < heights[1]
    proc = subprocess.run([
        sys.executable, 'demo/image_demo.py',
        str(folder), STAGE2, checkpoint, '--darken', '0'
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 2 and '--darken 0.0: a darkness factor is in' \
        in proc.stderr


def test_no_silent_wrong_answers(checkpoint, tmp_path):
    """Random weights, missing paths, empty folders, NaN or 1x1 arrays are
    errors that say so, not predictions."""
    from mmlldif.apis import init_model
    with pytest.raises(ValueError, match='needs trained weights'):
        LLDifInferencer(STAGE2, None)
    with pytest.warns(UserWarning, match='random weights'):
        init_model(STAGE2)
    inferencer = LLDifInferencer(STAGE2, checkpoint)
    with pytest.raises(FileNotFoundError, match='nowhere.png: no such file'):
        inferencer([face(0), str(tmp_path / 'nowhere.png')])
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ValueError, match='empty: the folder holds no image'):
        inferencer(tmp_path / 'empty')
    nan = face(0).astype(np.float32)
    nan[0, 0, 0] = np.nan
    results = inferencer([nan, face(0, size=1), face(1)])
    assert 'NaN or infinite' in results[0]['error']
    assert 'smaller than the minimum 8x8' in results[1]['error']
    assert 'faces' in results[2]
    # pathlib paths, of files and folders
    cv2.imwrite(str(tmp_path / 'a.png'), face(3))
    by_path = inferencer(tmp_path / 'a.png')[0]['faces'][0]
    by_str = inferencer(str(tmp_path / 'a.png'))[0]['faces'][0]
    assert by_path['scores'] == by_str['scores']


@pytest.mark.parametrize('case', ['missing', 'empty folder', 'corrupt'])
def test_demo_fails_clearly(checkpoint, tmp_path, case):
    target = tmp_path / 'in'
    if case == 'empty folder':
        target.mkdir()
    elif case == 'corrupt':
        target.mkdir()
        cv2.imwrite(str(target / 'good.png'), face(0))
        (target / 'bad.png').write_bytes(b'not a png')
    proc = subprocess.run([
        sys.executable, 'demo/image_demo.py',
        str(target), STAGE2, checkpoint, '--out-dir',
        str(tmp_path / 'out')
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)
    assert proc.returncode == 1
    expected = {
        'missing': 'in: no such file or folder',
        'empty folder': 'the folder holds no image files',
        'corrupt': '1 of 2 images could not be read'
    }[case]
    assert expected in proc.stderr
    if case == 'corrupt':  # the good one is still written
        with open(tmp_path / 'out' / 'results.json') as f:
            assert len(json.load(f)) == 1


def drawn_face(label, seed):
    """Bright on top for 'happy' (3), bright below for 'sad' (4)."""
    img = np.random.default_rng(seed).integers(0, 30, (48, 48, 3))
    rows = slice(0, 24) if label == 3 else slice(24, 48)
    img[rows] += 60
    return img.astype(np.uint8)


def test_a_trained_model_names_the_right_expression(tmp_path):
    """A model trained here until it separates two drawn expressions: the
    inferencer names them on new images (the right answer is known)."""
    import torch
    from mmpretrain.structures import DataSample

    from mmlldif.datasets import FER2013
    from mmlldif.registry import MODELS
    config = osp.join(REPO, 'configs/baselines/llformer_ll-fer2013_cpu.py')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(config).model)
    optim = torch.optim.AdamW(model.parameters(), lr=2e-3)
    labels = [3, 4] * 8
    for step in range(20):
        batch = dict(
            inputs=[
                torch.from_numpy(drawn_face(c, 100 * step + i)).permute(
                    2, 0, 1) for i, c in enumerate(labels)
            ],
            data_samples=[DataSample().set_gt_label(c) for c in labels])
        loss = model(**model.data_preprocessor(batch, True), mode='loss')
        optim.zero_grad()
        loss['loss'].backward()
        optim.step()
    path = str(tmp_path / 'trained.pth')
    torch.save(
        dict(
            state_dict=model.state_dict(),
            meta=dict(dataset_meta=dict(classes=FER2013.METAINFO['classes']))),
        path)
    results = LLDifInferencer(config, path)(
        [drawn_face(c, 10**6 + i) for i, c in enumerate([3, 4, 4, 3])])
    names = [r['faces'][0]['label_name'] for r in results]
    assert names == ['happy', 'sad', 'sad', 'happy']
