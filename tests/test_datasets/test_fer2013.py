import os.path as osp

import cv2
import numpy as np
import pytest

from fixtures import SHARED_FER2013, make_fer2013_csv, make_fer2013_folders
from mmlldif.datasets import FER2013, AnnotationError

PIXELS = ' '.join(['128'] * 48 * 48)

# The class counts in the README of the shared FER2013 folder.
TEST_COUNTS = dict(
    angry=491, disgust=55, fear=528, happy=879, neutral=626, sad=594,
    surprise=416)


def test_folders_layout(tmp_path):
    root = make_fer2013_folders(str(tmp_path), per_class=2)
    ds = FER2013(root, split='val')
    assert len(ds) == 14
    assert ds.metainfo['classes'][3] == 'happy'
    info = ds.get_data_info(0)
    assert info['img_path'].endswith('.png')
    assert info['img_id'].startswith('val/angry/')
    assert sorted(set(ds.get_gt_labels().tolist())) == list(range(7))


def test_folders_unknown_class_is_named(tmp_path):
    root = make_fer2013_folders(str(tmp_path), classes=('happy', 'smirk'))
    with pytest.raises(AnnotationError, match='smirk'):
        FER2013(root, split='train').full_init()


def test_csv_layout(tmp_path):
    root = make_fer2013_csv(str(tmp_path))
    train = FER2013(root, split='train')
    test = FER2013(root, split='test')
    assert len(train) == 1 and len(test) == 1
    assert test.get_data_info(0)['gt_label'] == 6
    assert test.get_data_info(0)['img'].shape == (48, 48)
    sample = FER2013(root, split='test',
                     pipeline=[dict(type='LoadFERImage')])[0]
    assert sample['img'].shape == (48, 48, 3)


@pytest.mark.parametrize('row,match', [
    ((9, PIXELS, 'Training'), 'label 9 is out of range'),
    (('x', PIXELS, 'Training'), 'unreadable row'),
    ((1, '1 2 3', 'Training'), 'do not form a square'),
])
def test_csv_bad_line_names_file_and_line(tmp_path, row, match):
    good = (3, PIXELS, 'Training')
    root = make_fer2013_csv(str(tmp_path), rows=[good, row])
    with pytest.raises(AnnotationError) as err:
        FER2013(root, split='train').full_init()
    assert osp.join(root, 'fer2013.csv') in str(err.value)
    assert 'line 3' in str(err.value)
    assert match in str(err.value)


def test_missing_split_and_empty_split(tmp_path):
    with pytest.raises(FileNotFoundError, match='not a folder'):
        FER2013(str(tmp_path / 'nowhere')).full_init()
    (tmp_path / 'train' / 'happy').mkdir(parents=True)
    with pytest.raises(ValueError, match='has no samples'):
        FER2013(str(tmp_path), split='train').full_init()
    with pytest.raises(FileNotFoundError, match='no "val" folder'):
        FER2013(str(tmp_path), split='val').full_init()


def test_bad_split_and_layout():
    with pytest.raises(ValueError, match='split must be one of'):
        FER2013('x', split='holdout')
    with pytest.raises(ValueError, match='layout'):
        FER2013('x', layout='lmdb')


@pytest.mark.skipif(
    not osp.isdir(SHARED_FER2013),
    reason=f'real FER2013 not found at {SHARED_FER2013}')
def test_real_fer2013_split_sizes_and_class_counts():
    sizes = {
        split: len(FER2013(SHARED_FER2013, split=split))
        for split in ('train', 'val', 'test')
    }
    assert sizes == dict(train=28709, val=3589, test=3589)
    test = FER2013(SHARED_FER2013, split='test')
    labels = test.get_gt_labels()
    counts = {
        name: int((labels == i).sum())
        for i, name in enumerate(test.CLASSES)
    }
    assert counts == TEST_COUNTS
    assert np.unique(labels).size == 7


def test_folder_files_of_other_kinds_are_named_and_jfif_is_read(tmp_path):
    import shutil
    root = make_fer2013_folders(str(tmp_path / 'fer'))
    happy = tmp_path / 'fer' / 'test' / 'happy'
    shutil.copy(happy / 'test_0.png', happy / 'phone.heic')
    (happy / 'camera.jfif').write_bytes(
        cv2.imencode('.jpg', np.full((24, 24), 90, np.uint8))[1].tobytes())
    (happy / '.DS_Store').write_bytes(b'')
    with pytest.warns(UserWarning, match=r'1 files .* left out, e\.g\. '
                      r'.*phone\.heic'):
        dataset = FER2013(root, split='test')
    names = [dataset.get_data_info(i)['img_id'] for i in range(len(dataset))]
    assert 'test/happy/camera.jfif' in names
    assert not any(n.endswith(('.heic', '.DS_Store')) for n in names)
