import hashlib
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose

from fixtures import REPO, SHARED_FER2013
from mmlldif.datasets import FER2013
from mmlldif.datasets.transforms import (ImageReadError, LoadFERImage,
                                         LowLight, darken, read_image,
                                         training_protocol)
from mmlldif.datasets.transforms.low_light import (CAMERA_STEPS,
                                                   face_visibility)


def _face(seed=0, size=48):
    return np.random.default_rng(seed).integers(
        60, 220, (size, size, 3), dtype=np.uint8)


def test_low_light_darkens_and_adds_noise():
    img = np.full((48, 48, 3), 130, np.uint8)
    out = LowLight(deterministic=True)(dict(img=img, img_id='a'))
    assert out['img'].dtype == np.uint8 and out['img'].shape == img.shape
    assert out['img'].mean() < 30
    assert out['img'].std() > 0.5  # visible noise on a flat image
    levels = out['low_light']
    assert levels['protocol'] == 'll-v1'
    assert 0.02 <= levels['darkness'] <= 0.1


def test_low_light_fixed_draw_depends_on_image_id_only():
    t = LowLight(deterministic=True)
    a1 = t(dict(img=_face(), img_id='x/1.png', sample_idx=0))['img']
    a2 = t(dict(img=_face(), img_id='x/1.png', sample_idx=99))['img']
    b = t(dict(img=_face(), img_id='x/2.png', sample_idx=0))['img']
    assert np.array_equal(a1, a2)
    assert not np.array_equal(a1, b)
    c = LowLight(deterministic=True, seed=1)(dict(img=_face(),
                                                  img_id='x/1.png'))['img']
    assert not np.array_equal(a1, c)


def test_low_light_random_draw_follows_numpy_seed():
    t = LowLight()
    np.random.seed(0)
    a = t(dict(img=_face()))['img']
    b = t(dict(img=_face()))['img']
    np.random.seed(0)
    assert np.array_equal(a, t(dict(img=_face()))['img'])
    assert not np.array_equal(a, b)


def test_low_light_overrides_and_errors():
    bright = LowLight(deterministic=True, darkness=(0.5, 0.5))
    dark = LowLight(deterministic=True, darkness=(0.02, 0.02))
    img = _face()
    assert bright(dict(img=img, img_id='a'))['img'].mean() > dark(
        dict(img=img, img_id='a'))['img'].mean() + 20
    with pytest.raises(KeyError, match='unknown protocol'):
        LowLight(protocol='ll-v0')
    with pytest.raises(KeyError, match='brightness'):
        LowLight(brightness=(0.1, 0.2))
    with pytest.raises(KeyError, match='img_id'):
        LowLight(deterministic=True)(dict(img=img))
    assert darken(img, darkness=0.05).mean() < img.mean() / 3


def test_ll_v1_stays_byte_for_byte():
    """A released protocol never changes: the ll-v1 images of a fixed
    input (deterministic draws, two seeds, and one random draw) hash to
    what they were when ll-v2 was added."""
    img = (np.arange(48 * 40 * 3).reshape(48, 40, 3) * 7 % 256).astype(
        np.uint8)
    digest = hashlib.sha256()
    for key in ('a', 'b', 'face_001.png'):
        for seed in (0, 1):
            out = LowLight(deterministic=True, seed=seed)(
                dict(img=img.copy(), img_id=key))
            digest.update(out['img'].tobytes())
    np.random.seed(3)
    digest.update(LowLight()(dict(img=img.copy()))['img'].tobytes())
    assert digest.hexdigest() == (
        '47d152e5f9d09483ed89a8f0ee8a5d46e55ab5e493e3810ce8db6be7bb6c55c4')


def test_ll_v2_draws_each_camera_step_at_its_rate():
    t = LowLight('ll-v2', deterministic=True)
    draws = [t.draw(t.generator(dict(img_id=str(i)))) for i in range(2000)]
    for name, (prob, values) in CAMERA_STEPS.items():
        applied = [d[name] for d in draws if d[name] is not None]
        assert abs(len(applied) / len(draws) - t.params[prob]) < 0.04, name
        low, high = t.params[values]
        assert all(low <= v <= high for v in applied), name
    darkness = np.array([d['darkness'] for d in draws])
    # it reaches 4 times darker than ll-v1's darkest (0.02)
    assert darkness.min() < 0.006 and (darkness < 0.02).mean() > 0.3
    mono = np.mean([d['mono_noise'] for d in draws])
    assert abs(mono - 0.5) < 0.04


@pytest.mark.parametrize('levels', [
    dict(blur_length=0.15, blur_angle=30.0),
    dict(scale=0.4),
    dict(brighten_to=0.15),
    dict(denoise_sigma=60.0),
    dict(jpeg_quality=20),
    dict(mono_noise=True),
])
def test_each_ll_v2_step_changes_the_image_alone(levels):
    t = LowLight('ll-v2', deterministic=True)
    base = dict(darkness=0.05, shot_noise=1e-3, read_noise=1e-5)
    img = _face()
    plain = t.apply(img, base, np.random.default_rng(0))
    out = t.apply(img, dict(base, **levels), np.random.default_rng(0))
    assert out.shape == img.shape and out.dtype == np.uint8
    assert not np.array_equal(out, plain)
    if 'brighten_to' in levels:
        assert out.mean() > plain.mean() + 20
    if 'mono_noise' in levels:  # a gray face stays gray
        gray = np.repeat(img[..., :1], 3, axis=2)
        out = t.apply(gray, dict(base, **levels), np.random.default_rng(0))
        assert (out[..., 0] == out[..., 1]).all()


@pytest.mark.parametrize('config, protocol', [
    ('configs/lldif/lldif_stage2_ll-fer2013_cpu.py', 'll-v1'),
    ('configs/lldif/lldif_stage2_ll-v2-train_ll-fer2013_cpu.py', 'll-v2'),
    ('configs/baselines/llformer_kd-laclip-e16_ll-v2-train_ll-fer2013_cpu.py',
     'll-v2'),
    ('configs/baselines/resnet18_fer2013_cpu.py', None),
])
def test_training_protocol_reads_the_training_pipeline(config, protocol):
    cfg = Config.fromfile(osp.join(REPO, config))
    assert training_protocol(cfg) == protocol
    # the ll-v2-trained models are still tested on ll-v1
    test_steps = [
        t for t in cfg.test_dataloader.dataset.pipeline
        if t['type'] == 'LowLight'
    ]
    assert [t['protocol'] for t in test_steps] == (['ll-v1']
                                                   if protocol else [])


def test_face_visibility_falls_with_darkness_noise_blur_and_size():
    # a face's large shapes: a lit and a shaded half, a dark mouth
    img = np.full((48, 48, 3), 200, np.uint8)
    img[:, :20] = 70
    img[32:38, 12:36] = 10
    base = dict(darkness=0.045, shot_noise=1.6e-3, read_noise=1e-5)
    seen = face_visibility(img, base)
    assert seen > 1
    assert face_visibility(img, dict(base, darkness=0.005)) < seen
    assert face_visibility(img, dict(base, shot_noise=2e-2)) < seen
    assert face_visibility(img, dict(base, scale=0.3)) < seen
    assert face_visibility(
        img, dict(base, blur_length=0.3, blur_angle=0.0)) < seen
    assert face_visibility(img, dict(base, darkness=0.002,
                                     shot_noise=5e-2)) < 1


@pytest.mark.skipif(
    not osp.isdir(SHARED_FER2013),
    reason=f'real FER2013 not found at {SHARED_FER2013}')
def test_ll_fer2013_test_split_is_fixed_and_extremely_dark():
    pipeline = [
        dict(type='LoadFERImage'),
        dict(type='LowLight', protocol='ll-v1', deterministic=True)
    ]

    def render():
        ds = FER2013(SHARED_FER2013, split='test', pipeline=pipeline)
        return np.stack([ds[i]['img'] for i in range(len(ds))])

    first, second = render(), render()
    assert first.shape == (3589, 48, 48, 3)
    assert first.tobytes() == second.tobytes()
    assert first.mean() <= 30
    originals = FER2013(
        SHARED_FER2013, split='test', pipeline=[dict(type='LoadFERImage')])
    assert np.mean([originals[i]['img'].mean() for i in range(0, 3589, 10)
                    ]) > 100


def _write(path, data):
    with open(path, 'wb') as f:
        f.write(data)
    return str(path)


def test_read_image_converts_formats(tmp_path):
    gray = np.full((20, 20), 77, np.uint8)
    cv2.imwrite(str(tmp_path / 'g.png'), gray)
    assert read_image(str(tmp_path / 'g.png')).shape == (20, 20, 3)
    deep = np.full((20, 20), 65535, np.uint16)
    cv2.imwrite(str(tmp_path / 'd.png'), deep)
    img16 = read_image(str(tmp_path / 'd.png'))
    assert img16.dtype == np.uint8 and img16.max() == 255
    # a dark 16-bit face stays dark: 16 bits as the file declares, not a
    # depth guessed from its brightest pixel (that read mean level 7.8 as
    # 125)
    dark = np.full((20, 20), 1000, np.uint16)
    dark[:10] = 3000
    cv2.imwrite(str(tmp_path / 't.png'), dark)
    img_dark = read_image(str(tmp_path / 't.png'))
    assert img_dark[0, 0, 0] == 12 and img_dark[-1, 0, 0] == 4
    rgba = np.zeros((20, 20, 4), np.uint8)
    rgba[..., 3] = 255
    cv2.imwrite(str(tmp_path / 'a.png'), rgba)
    assert read_image(str(tmp_path / 'a.png')).shape == (20, 20, 3)


def test_read_image_errors_name_the_file(tmp_path):
    jpg = cv2.imencode('.jpg', _face())[1].tobytes()
    cases = {
        'missing.png': (None, 'not found'),
        'empty.jpg': (b'', 'empty'),
        'cut.jpg': (jpg[:len(jpg) // 2], 'truncated'),
        'junk.png': (b'not an image at all', 'cannot decode'),
    }
    for name, (data, match) in cases.items():
        path = str(tmp_path / name)
        if data is not None:
            _write(path, data)
        with pytest.raises(ImageReadError) as err:
            read_image(path)
        assert path in str(err.value) and match in str(err.value)
    # a valid JPEG with bytes after its end marker (as some cameras and
    # editors write) decodes and is accepted
    _write(str(tmp_path / 'tail.jpg'), jpg + b'\x00' * 1000)
    assert read_image(str(tmp_path / 'tail.jpg')).shape[:2] == _face(
    ).shape[:2]
    cv2.imwrite(str(tmp_path / 'tiny.png'), np.zeros((4, 4), np.uint8))
    with pytest.raises(ImageReadError, match='smaller than the minimum'):
        read_image(str(tmp_path / 'tiny.png'))


def test_a_damaged_jpeg_is_refused_and_a_flat_dark_one_is_not(tmp_path):
    from skimage import data
    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    # libjpeg meets the end marker early (quality 90) or ends the picture
    # with data left over (95)
    for quality in (90, 95):
        jpg = bytearray(
            cv2.imencode('.jpg', photo,
                         [cv2.IMWRITE_JPEG_QUALITY, quality])[1].tobytes())
        n = len(jpg)
        jpg[n // 2:n // 2 + n // 4] = bytes(n // 4)  # a quarter zeroed
        path = str(tmp_path / f'zeroed_{quality}.jpg')
        _write(path, bytes(jpg))
        # OpenCV alone decodes it, with most rows garbage
        assert cv2.imread(path) is not None
        with pytest.raises(ImageReadError, match='JPEG data is corrupt') as e:
            read_image(path)
        assert path in str(e.value)
        # the pixel limit comes first, before anything decodes it
        with pytest.raises(ImageReadError, match='declares 262144 pixels'):
            read_image(path, max_pixels=1000)
    # a black photo with optimised Huffman tables is long runs of zero
    # bytes too, and is fine
    from PIL import Image
    for kw in (dict(optimize=True), dict(progressive=True)):
        dark = str(tmp_path / f'dark_{len(kw)}_{list(kw)[0]}.jpg')
        Image.fromarray(np.full((256, 256, 3), 2, np.uint8)).save(dark, **kw)
        assert read_image(dark).max() <= 4


def test_load_fer_image_from_memory_and_file(tmp_path):
    t = LoadFERImage()
    out = t(dict(img=np.zeros((48, 48), np.uint8), img_id='csv:2'))
    assert out['img'].shape == (48, 48, 3) and out['ori_shape'] == (48, 48)
    cv2.imwrite(str(tmp_path / 'f.png'), _face())
    out = t(dict(img_path=str(tmp_path / 'f.png')))
    assert out['img'].shape == (48, 48, 3)


@pytest.mark.skipif(
    not osp.isdir(SHARED_FER2013),
    reason=f'real FER2013 not found at {SHARED_FER2013}')
def test_privileged_pipeline_keeps_the_same_ll_test_images():
    """ll_fer2013_privileged.py darkens after resizing, to crop the two
    versions alike; on 48x48 faces its LL test images are ll_fer2013's."""

    def pipeline(name):
        cfg = Config.fromfile(
            osp.join(REPO, 'configs', '_base_', 'datasets', name))
        return Compose(cfg.test_pipeline[:-1])  # all but PackInputs

    plain = pipeline('ll_fer2013.py')
    privileged = pipeline('ll_fer2013_privileged.py')
    originals = FER2013(
        SHARED_FER2013, split='test', pipeline=[dict(type='LoadFERImage')])
    for i in range(0, 3589, 97):
        info = originals.get_data_info(i)
        a = plain(dict(info))
        b = privileged(dict(info))
        assert a['img'].tobytes() == b['img'].tobytes()
        assert b['img_normal'].tobytes() == originals[i]['img'].tobytes()
        assert b['img'].mean() < b['img_normal'].mean()


class _Draws(torch.utils.data.Dataset):
    """Each item is a number drawn from NumPy's global generator, as the
    LowLight transform and mmcv's random transforms draw."""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return np.random.rand()


def test_workers_draw_new_numbers_each_epoch_and_again_on_resume():
    """seed_worker_per_epoch with workers started per epoch: the main
    process reseeded per epoch (EpochSeedHook) fixes what the workers draw."""
    from mmengine.runner.utils import set_random_seed

    from mmlldif.datasets import seed_worker_per_epoch
    loader = torch.utils.data.DataLoader(
        _Draws(), num_workers=2, worker_init_fn=seed_worker_per_epoch)

    def epoch(e):
        set_random_seed(100 + e)
        return [float(x) for x in loader]

    first, second = epoch(0), epoch(1)
    assert first != second  # new draws every epoch
    assert len(set(first)) == 4  # workers do not share draws
    assert epoch(1) == second  # a resumed epoch 1 draws the same


def test_read_image_applies_exif_orientation(tmp_path):
    import io

    from PIL import Image
    face = np.zeros((40, 20, 3), np.uint8)
    face[:10] = 255  # a bright band at the top of a tall image
    pil = Image.fromarray(face)
    exif = pil.getexif()
    exif[0x0112] = 6  # stored rotated: turn 90 degrees clockwise to view
    buf = io.BytesIO()
    pil.save(buf, 'JPEG', exif=exif.tobytes())
    (tmp_path / 'rotated.jpg').write_bytes(buf.getvalue())
    img = read_image(str(tmp_path / 'rotated.jpg'))
    assert img.shape == (20, 40, 3)
    assert img[:, -5:].mean() > 200 and img[:, :5].mean() < 50


def test_read_image_refuses_a_huge_image_before_decoding(tmp_path):
    import struct
    import zlib

    def png(width, height):
        def chunk(kind, body):
            return (struct.pack('>I', len(body)) + kind + body +
                    struct.pack('>I', zlib.crc32(kind + body)))
        ihdr = struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0)
        return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
                chunk(b'IDAT', zlib.compress(b'\x00')) + chunk(b'IEND', b''))

    for size in (50000, 9000):  # 69 bytes each; above Pillow's own limit
        path = tmp_path / f'bomb{size}.png'
        path.write_bytes(png(size, size))
        with pytest.raises(ImageReadError, match=f'{path.name}.*limit'):
            read_image(str(path))
    small = tmp_path / 'small.png'
    small.write_bytes(png(100, 100))
    with pytest.raises(ImageReadError, match='limit of 5000'):
        read_image(str(small), max_pixels=5000)
    # within the limit the broken data is a decoding error, named
    with pytest.raises(ImageReadError, match='small.png'):
        read_image(str(small))


def test_the_pixel_limit_comes_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / 'face.png'
    cv2.imwrite(str(path), np.full((100, 100), 90, np.uint8))
    monkeypatch.setenv('MMLLDIF_MAX_IMAGE_PIXELS', '5000')
    with pytest.raises(ImageReadError, match='limit of 5000'):
        read_image(str(path))
    monkeypatch.setenv('MMLLDIF_MAX_IMAGE_PIXELS', '64 MP')
    with pytest.raises(ValueError, match="MMLLDIF_MAX_IMAGE_PIXELS='64 MP'"):
        read_image(str(path))
    monkeypatch.delenv('MMLLDIF_MAX_IMAGE_PIXELS')
    assert read_image(str(path)).shape == (100, 100, 3)
