import csv
import os
import os.path as osp
import shutil

import pytest

from fixtures import (SHARED_FERPLUS, make_affectnet, make_ferplus, make_kdef,
                      make_rafdb)
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


@pytest.mark.skipif(
    not osp.isdir(SHARED_FERPLUS), reason='no shared FERPlus copy')
def test_ferplus_reads_a_slice_of_the_real_layout(tmp_path):
    """The first rows of each usage of Microsoft's vote file, with their
    images, copied as they are: labels are the majority of the 8 emotions,
    rows led by unknown / NF or without an image are dropped."""
    with open(osp.join(SHARED_FERPLUS, 'fer2013new.csv')) as f:
        rows = list(csv.reader(f))
    header, taken = rows[0], {}
    for row in rows[1:]:
        if len(taken.setdefault(row[0], [])) < 60:
            taken[row[0]].append(row)
    os.makedirs(tmp_path / 'FER2013Train')
    os.makedirs(tmp_path / 'FER2013Valid')
    os.makedirs(tmp_path / 'FER2013Test')
    folders = dict(Training='FER2013Train', PublicTest='FER2013Valid',
                   PrivateTest='FER2013Test')
    with open(tmp_path / 'fer2013new.csv', 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for usage, usage_rows in taken.items():
            writer.writerows(usage_rows)
            for row in usage_rows:
                if row[1]:
                    shutil.copy(
                        osp.join(SHARED_FERPLUS, folders[usage], row[1]),
                        tmp_path / folders[usage] / row[1])
    dropped = 0
    for split, usage in (('train', 'Training'), ('val', 'PublicTest'),
                         ('test', 'PrivateTest')):
        expected = []
        for row in taken[usage]:
            votes = [float(v) for v in row[2:12]]
            best = votes.index(max(votes))
            if row[1] and best < 8:
                expected.append((row[1], best))
            else:
                dropped += 1
        dataset = FERPlus(str(tmp_path), split=split)
        got = [(osp.basename(dataset.get_data_info(i)['img_path']),
                dataset.get_data_info(i)['gt_label'])
               for i in range(len(dataset))]
        assert got == expected
        img = dataset.get_data_info(0)['img_path']
        assert osp.isfile(img)
    assert dropped > 0  # the slice has rows the majority protocol drops
    assert FERPlus.METAINFO['classes'][7] == 'contempt'


def test_a_csv_with_a_byte_order_mark_reads_as_without(tmp_path):
    """Spreadsheet programs save CSV with a UTF-8 byte-order mark: the
    first column's name must not carry it ("missing columns ['Usage']")."""
    root = make_ferplus(str(tmp_path))
    ann = osp.join(root, 'fer2013new.csv')
    with open(ann, 'rb') as f:
        data = f.read()
    with open(ann, 'wb') as f:
        f.write(b'\xef\xbb\xbf' + data)
    train = FERPlus(root, split='train')
    assert [train.get_data_info(i)['gt_label'] for i in range(2)] == [0, 1]
