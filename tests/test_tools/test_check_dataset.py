"""tools/misc/check_dataset.py: every bad image of a split, named at once."""
import os
import shutil
import subprocess
import sys

import pytest

from fixtures import REPO, make_fer2013_folders
from mmlldif.datasets import FER2013
from mmlldif.datasets.check import check_dataset


@pytest.fixture
def fer2013(tmp_path):
    root = make_fer2013_folders(str(tmp_path / 'fer2013'), per_class=2)
    (tmp_path / 'fer2013/test/happy/test_0.png').write_bytes(b'')
    (tmp_path / 'fer2013/test/sad/test_1.png').write_bytes(b'not a png')
    return root


def test_check_dataset_names_every_bad_image(fer2013):
    counts, errors, digests = check_dataset(FER2013(fer2013, split='test'))
    assert len(digests) == 14 and digests.count(None) == 2
    assert counts['happy'] == 2 and sum(counts.values()) == 14
    assert len(errors) == 2
    assert 'happy/test_0.png: image file is empty' in errors[0]
    assert 'sad/test_1.png: cannot decode' in errors[1]
    assert check_dataset(FER2013(fer2013, split='val'))[1] == []


def test_a_class_missing_from_a_split_is_a_warning(fer2013):
    shutil.rmtree(os.path.join(fer2013, 'val', 'disgust'))
    with pytest.warns(UserWarning, match='"val" split .* no sample of '
                      'disgust'):
        FER2013(fer2013, split='val')


def test_check_dataset_tool(fer2013):
    proc = subprocess.run([
        sys.executable, 'tools/misc/check_dataset.py',
        'configs/lldif/lldif_stage1_ll-fer2013_cpu.py', '--data-root', fer2013
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True,
                          env=dict(os.environ, PYTHONPATH=REPO))
    assert proc.returncode == 1
    assert 'test: 14 samples; angry 2,' in proc.stdout
    assert proc.stdout.count('unreadable:') == 2
    assert '2 unreadable images' in proc.stderr


def test_images_identical_to_training_images_are_listed(fer2013, tmp_path):
    import csv
    import shutil
    # a test face copied from train, once under its class and once under
    # another
    train = os.path.join(fer2013, 'train')
    shutil.copy(os.path.join(train, 'angry/train_0.png'),
                os.path.join(fer2013, 'test/angry/copy.png'))
    shutil.copy(os.path.join(train, 'fear/train_1.png'),
                os.path.join(fer2013, 'test/happy/relabelled.png'))
    out = str(tmp_path / 'duplicates.csv')
    proc = subprocess.run([
        sys.executable, 'tools/misc/check_dataset.py',
        'configs/lldif/lldif_stage1_ll-fer2013_cpu.py', '--data-root',
        fer2013, '--duplicates-out', out
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True,
                          env=dict(os.environ, PYTHONPATH=REPO))
    assert ('test: 2 images pixel-identical to a training image, 1 of them '
            'with another label') in proc.stdout
    rows = list(csv.DictReader(open(out)))
    assert {(r['label'], r['train_label']) for r in rows} == {
        ('angry', 'angry'), ('happy', 'fear')}
    assert all(r['split'] == 'test' for r in rows)
