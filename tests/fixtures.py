"""Tiny datasets in the real on-disk layouts, written into a temp folder."""
import csv
import os
import os.path as osp

import cv2
import numpy as np

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
STAGE2_CPU = osp.join(REPO, 'configs/lldif/ablations/stage2_fer2013_cpu.py')
SHARED_FER2013 = osp.join(REPO, '..', 'shared', 'datasets', 'fer2013')
SHARED_FERPLUS = osp.join(REPO, '..', 'shared', 'datasets', 'ferplus')

TINY_CLIP = dict(
    embed_dim=16,
    vision_cfg=dict(
        layers=1, width=16, patch_size=8, image_size=32, head_width=8),
    text_cfg=dict(
        context_length=12, vocab_size=49408, width=16, heads=2, layers=1))


def _image(path, seed, size=24, channels=1):
    rng = np.random.default_rng(seed)
    shape = (size, size) if channels == 1 else (size, size, channels)
    os.makedirs(osp.dirname(path), exist_ok=True)
    cv2.imwrite(path, rng.integers(0, 255, shape, dtype=np.uint8))


def make_fer2013_folders(root, per_class=1, classes=None):
    from mmlldif.datasets import FER2013
    classes = classes or FER2013.METAINFO['classes']
    for split in ('train', 'val', 'test'):
        for c, name in enumerate(classes):
            for i in range(per_class):
                _image(
                    osp.join(root, split, name, f'{split}_{i}.png'),
                    seed=hash((split, c, i)) % 2**32)
    return root


def make_fer2013_csv(root, rows=None):
    """``rows``: list of (emotion, pixels str, usage); defaults to 3 rows."""
    os.makedirs(root, exist_ok=True)
    pixels = ' '.join(['128'] * 48 * 48)
    rows = rows or [(3, pixels, 'Training'), (0, pixels, 'PublicTest'),
                    (6, pixels, 'PrivateTest')]
    with open(osp.join(root, 'fer2013.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['emotion', 'pixels', 'Usage'])
        w.writerows(rows)
    return root


FERPLUS_HEADER = [
    'Usage', 'Image name', 'neutral', 'happiness', 'surprise', 'sadness',
    'anger', 'disgust', 'fear', 'contempt', 'unknown', 'NF'
]


def make_ferplus(root, extra_rows=()):
    folders = dict(
        Training='FER2013Train',
        PublicTest='FER2013Valid',
        PrivateTest='FER2013Test')
    rows = []
    for usage, folder in folders.items():
        for i in range(2):
            name = f'fer{len(rows):07d}.png'
            _image(osp.join(root, folder, name), seed=len(rows))
            votes = [0] * 10
            votes[i] = 7
            votes[7 - i] = 3
            rows.append([usage, name] + votes)
    # dropped: no image name; majority "unknown"
    rows.append(['Training', '', 0, 0, 0, 0, 0, 0, 0, 0, 0, 10])
    rows.append(['Training', 'fer9999999.png', 1, 0, 0, 0, 0, 0, 0, 0, 9, 0])
    rows.extend(extra_rows)
    with open(osp.join(root, 'fer2013new.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(FERPLUS_HEADER)
        w.writerows(rows)
    return root


def make_rafdb(root, extra_lines=()):
    lines = []
    for split, n in (('train', 7), ('test', 3)):
        for i in range(n):
            name = f'{split}_{i + 1:05d}.jpg'
            _image(
                osp.join(root, 'Image', 'aligned',
                         f'{split}_{i + 1:05d}_aligned.jpg'),
                seed=i,
                channels=3)
            lines.append(f'{name} {i % 7 + 1}')
    lines.extend(extra_lines)
    os.makedirs(osp.join(root, 'EmoLabel'), exist_ok=True)
    with open(osp.join(root, 'EmoLabel', 'list_patition_label.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return root


def make_kdef(root, actors=(1, 9, 10), angles=('S', 'HL')):
    codes = ('AF', 'AN', 'DI', 'HA', 'NE', 'SA', 'SU')
    for actor in actors:
        folder = f'AF{actor:02d}'
        for code in codes:
            for angle in angles:
                _image(
                    osp.join(root, folder, f'{folder}{code}{angle}.JPG'),
                    seed=actor,
                    channels=3)
    return root


def make_affectnet(root, extra_rows=()):
    header = [
        'subDirectory_filePath', 'face_x', 'face_y', 'face_width',
        'face_height', 'facial_landmarks', 'expression', 'valence', 'arousal'
    ]
    for csv_name, labels in (('training.csv', [0, 1, 2, 3, 4, 5, 6, 7, 8,
                                               10]),
                             ('validation.csv', [0, 1, 6])):
        rows = []
        for i, label in enumerate(labels):
            rel = f'{i}/{csv_name[:5]}_{i}.jpg'
            _image(
                osp.join(root, 'Manually_Annotated_Images', rel),
                seed=i,
                channels=3)
            rows.append([rel, 2, 2, 20, 20, '', label, 0.1, 0.2])
        if csv_name == 'training.csv':
            rows.extend(extra_rows)
        with open(osp.join(root, csv_name), 'w', newline='') as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
    return root


DATASET_FIXTURES = dict(
    FER2013=make_fer2013_folders,
    FERPlus=make_ferplus,
    RAFDB=make_rafdb,
    KDEF=make_kdef,
    AffectNet=make_affectnet)


def make_checkpoint(config, path, perturb=0.0, seed=0):
    """Save the untrained model of ``config`` as a checkpoint with the
    config's class names and text (as a Runner saves them); ``perturb``
    adds N(0, perturb^2) to every weight (so that zero-initialised parts,
    like the prior modulation, act)."""
    import torch
    from mmengine.config import Config
    from mmengine.runner import save_checkpoint

    from mmlldif.registry import MODELS
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model)
    torch.manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * perturb)
    save_checkpoint(
        dict(
            state_dict=model.state_dict(),
            meta=dict(
                dataset_meta=dict(classes=cfg.class_names),
                cfg=cfg.pretty_text)), path)
    return path
