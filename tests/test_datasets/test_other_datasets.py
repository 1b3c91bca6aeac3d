import os.path as osp

import pytest

from fixtures import make_affectnet, make_ferplus, make_kdef, make_rafdb
from mmlldif.datasets import KDEF, RAFDB, AffectNet, AnnotationError, FERPlus


def test_rafdb_layout_and_labels(tmp_path):
    root = make_rafdb(str(tmp_path))
    train, test = RAFDB(root, split='train'), RAFDB(root, split='test')
    assert len(train) == 7 and len(test) == 3
    assert len(RAFDB(root, split='val')) == 3  # val reads the test split
    info = train.get_data_info(0)
    assert info['img_path'].endswith('Image/aligned/train_00001_aligned.jpg')
    assert info['gt_label'] == 0  # file label 1 = surprise
    assert train.CLASSES[0] == 'surprise'
    assert osp.isfile(info['img_path'])


@pytest.mark.parametrize('line,match', [
    ('train_00099.jpg 8', 'label 7 is out of range'),
    ('train_00099.jpg', 'expected "<image name> <label 1-7>"'),
    ('train_00099.jpg happy', 'expected'),
])
def test_rafdb_bad_line(tmp_path, line, match):
    root = make_rafdb(str(tmp_path), extra_lines=[line])
    with pytest.raises(AnnotationError) as err:
        RAFDB(root, split='train').full_init()
    assert 'list_patition_label.txt, line 11' in str(err.value)
    assert match in str(err.value)


def test_ferplus_majority_and_drops(tmp_path):
    root = make_ferplus(str(tmp_path))
    train = FERPlus(root, split='train')
    assert len(train) == 2  # rows without name or with unknown majority drop
    assert [train.get_data_info(i)['gt_label'] for i in range(2)] == [0, 1]
    assert len(FERPlus(root, split='test')) == 2
    assert len(train.CLASSES) == 8 and train.CLASSES[-1] == 'contempt'


def test_ferplus_bad_line(tmp_path):
    root = make_ferplus(
        str(tmp_path),
        extra_rows=[['Training', 'fer0000100.png'] + ['x'] * 10])
    with pytest.raises(AnnotationError) as err:
        FERPlus(root, split='train').full_init()
    assert 'fer2013new.csv, line 10' in str(err.value)


def test_kdef_actor_split_and_angles(tmp_path):
    root = make_kdef(str(tmp_path))
    # actor 1 -> train, 9 -> val, 10 -> test; 7 expressions x 2 angles
    assert len(KDEF(root, split='train')) == 14
    assert len(KDEF(root, split='val')) == 14
    assert len(KDEF(root, split='test', angles=('S', ))) == 7
    info = KDEF(root, split='test').get_data_info(0)
    assert info['gt_label'] == 0 and info['img_id'].startswith('AF10/')


def test_kdef_bad_file_name(tmp_path):
    root = make_kdef(str(tmp_path))
    bad = osp.join(root, 'AF01', 'AF01XXS.JPG')
    with open(bad, 'wb') as f:
        f.write(b'x')
    with pytest.raises(AnnotationError, match='AF01XXS.JPG'):
        KDEF(root, split='train').full_init()


def test_kdef_split_file(tmp_path):
    root = make_kdef(str(tmp_path))
    with open(osp.join(root, 'split.txt'), 'w') as f:
        f.write('AF01/AF01HAS.JPG test\nAF01/AF01SAS.JPG holdout\n')
    with pytest.raises(AnnotationError, match='split.txt, line 2'):
        KDEF(root, split='test', split_file='split.txt').full_init()


def test_affectnet_filters_and_classes(tmp_path):
    root = make_affectnet(str(tmp_path))
    assert len(AffectNet(root, split='train')) == 7  # drops 7, 8, 10
    assert len(AffectNet(root, split='train', num_classes=8)) == 8
    val = AffectNet(root, split='val')
    assert len(val) == 3 and val.get_data_info(2)['gt_label'] == 6
    assert val.get_data_info(0)['face_bbox'] == [2, 2, 20, 20]


def test_affectnet_bad_line(tmp_path):
    root = make_affectnet(
        str(tmp_path), extra_rows=[['0/x.jpg', 0, 0, 1, 1, '', 11, 0, 0]])
    with pytest.raises(AnnotationError) as err:
        AffectNet(root, split='train').full_init()
    assert 'training.csv, line 12' in str(err.value)
    assert 'expression 11' in str(err.value)
