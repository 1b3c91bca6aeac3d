"""The model zoo: names of model-index.yml, their release files, and the
same names through mmpretrain's API."""
import os.path as osp
import shutil

import mmpretrain
import numpy as np
import pytest
import torch
from mmengine.config import Config

from fixtures import REPO
from mmlldif.apis import (LLDifInferencer, ReleaseFileError, get_model,
                          list_models)
from mmlldif.apis.model_zoo import (find_model, model_index,
                                    verify_release_file)
from mmlldif.utils import CheckpointMismatchError

SHIPPED = list_models(with_weights=True)


def dark_face(seed=0, size=64):
    return np.random.default_rng(seed).integers(
        0, 40, (size, size, 3), dtype=np.uint8)


def test_release_files_are_in_the_repo_and_small():
    assert len(SHIPPED) >= 2, SHIPPED
    files = [find_model(name).weights for name in SHIPPED]
    for path in files:
        assert osp.realpath(path).startswith(
            osp.join(osp.realpath(REPO), 'checkpoints')), path
    assert sum(osp.getsize(p) for p in set(files)) < 20 * 2**20
    # every entry's weights are either shipped or absent, never a local
    # path of the machine that trained them
    for name, model in model_index().items():
        assert not model.weights or osp.isfile(model.weights), name


@pytest.mark.parametrize('name', SHIPPED)
def test_shipped_model_loads_with_its_sha_and_class_names(name):
    entry = find_model(name)
    verify_release_file(entry.weights)
    ckpt = torch.load(entry.weights, map_location='cpu', weights_only=True)
    assert 'optimizer' not in ckpt and 'message_hub' not in ckpt
    assert not any(k.startswith(('teacher.', 'la_clip.', 'prior_net.'))
                   for k in ckpt['state_dict'])
    classes = Config.fromfile(entry.config).class_names
    assert tuple(ckpt['meta']['dataset_meta']['classes']) == tuple(classes)
    model = get_model(name, pretrained=True)
    assert tuple(model.dataset_meta['classes']) == tuple(classes)
    with torch.no_grad():
        scores = model(torch.rand(2, 3, 48, 48)).softmax(1)
    assert scores.shape == (2, len(classes))


def test_names_through_mmpretrain(capfd):
    name = SHIPPED[0]
    assert name in mmpretrain.list_models('*')
    ours = get_model(name, pretrained=True)
    capfd.readouterr()
    theirs = mmpretrain.get_model(name, pretrained=True)
    # built without its training-only parts: the release file fits it
    # exactly, no "missing keys" warning
    assert 'missing keys' not in ''.join(capfd.readouterr())
    x = torch.rand(3, 3, 48, 48)
    with torch.no_grad():
        assert torch.allclose(ours(x), theirs(x), atol=1e-5)
    # the inferencer predicts a real (already dark) image: no darkening step
    inferencer = mmpretrain.ImageClassificationInferencer(name)
    steps = [t['type'] for t in inferencer.config.test_dataloader.dataset.
             pipeline]
    assert 'LowLight' not in steps
    result = inferencer(dark_face())[0]
    assert result['pred_class'] in ours.dataset_meta['classes']
    ours_result = LLDifInferencer(name)(dark_face())[0]['faces'][0]
    assert ours_result['label_name'] == result['pred_class']
    assert ours_result['score'] == pytest.approx(result['pred_score'],
                                                 abs=1e-4)


def test_mmpretrain_serves_the_released_models_by_inference_configs():
    """``configs/inference/model-index.yml``, which ``import mmlldif``
    registers in mmpretrain's hub, lists each released model once, with
    its release file and its trained config less the test faces'
    darkening and, where the model has them, its training-only parts."""
    from modelindex.load_model_index import load
    from mmpretrain.apis import ModelHub

    from mmlldif.datasets.transforms import without_low_light
    from mmlldif.registry import MODELS
    folder = osp.join(REPO, 'configs', 'inference')
    served = load(osp.join(folder, 'model-index.yml')).models
    assert sorted(m.name for m in served) == SHIPPED
    for model in served:
        entry = find_model(model.name)
        assert model.weights == 'mmlldif://' + osp.basename(entry.weights)
        hub = ModelHub.get(model.name)
        assert hub.weights == model.weights
        ours = Config.fromfile(osp.join(folder, model.config)).to_dict()
        trained = Config.fromfile(entry.config).to_dict()
        assert hub.config.to_dict() == ours
        pipeline = ours['test_dataloader']['dataset'].pop('pipeline')
        assert [{k: v for k, v in t.items() if k != '_scope_'}
                for t in pipeline] == without_low_light(
                    trained['test_dataloader']['dataset'].pop('pipeline'))
        lean = hasattr(MODELS.get(trained['model']['type']), 'TRAINING_ONLY')
        assert ours['model'].pop('_scope_') == 'mmlldif'
        assert ours['model'].pop('inference_only', False) is lean
        ours.pop('photo_test_pipeline')
        assert ours == trained


def test_bad_names_and_files(tmp_path):
    with pytest.raises(ValueError, match='unknown model "nope"; known') as e:
        get_model('nope')
    assert SHIPPED[0] in str(e.value)
    unshipped = sorted(set(list_models()) - set(SHIPPED))[0]
    with pytest.raises(ReleaseFileError, match='no weights are released'):
        get_model(unshipped, pretrained=True)
    # a corrupted copy of a release file: named, never loaded
    path = find_model(SHIPPED[0]).weights
    copy = str(tmp_path / osp.basename(path))
    shutil.copyfile(path, copy)
    with open(copy, 'r+b') as f:
        f.seek(osp.getsize(copy) // 2)
        byte = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ReleaseFileError, match=osp.basename(copy)):
        verify_release_file(copy)
    # given by path, to every loader, it is refused too
    from mmlldif.apis.model import init_model
    from mmlldif.utils import load_checkpoint_file
    for load in (lambda: get_model(SHIPPED[0], pretrained=copy),
                 lambda: init_model(find_model(SHIPPED[0]).config, copy),
                 lambda: load_checkpoint_file(copy)):
        with pytest.raises(ReleaseFileError, match='SHA-256 starts with'):
            load()
    with pytest.raises(ReleaseFileError, match='not found'):
        verify_release_file(str(tmp_path / 'missing-00000000.pth'))
    # weights of another architecture: a clear error naming the file
    other = [n for n in SHIPPED if n != SHIPPED[0]][0]
    with pytest.raises(CheckpointMismatchError,
                       match=osp.basename(find_model(other).weights)):
        get_model(SHIPPED[0], pretrained=find_model(other).weights)
    with pytest.raises(ValueError, match='needs a model name'):
        get_model(find_model(SHIPPED[0]).config, pretrained=True)


def test_prediction_reads_no_teacher_weights(tmp_path):
    """A distilled model predicts without its teacher's weight file (the
    release file has no teacher); where the teacher is used, its missing
    weights are still an error."""
    from mmlldif.apis.model import init_model
    entry = find_model('llformer_kd-laclip-e8_ll-fer2013_cpu')
    cfg = Config.fromfile(entry.config)
    cfg.model.teacher.pretrained = str(tmp_path / 'no_such_laclip.pth')
    model = init_model(cfg, entry.weights)
    assert model(torch.rand(1, 3, 48, 48)).shape == (1, 7)
    with pytest.raises(CheckpointMismatchError, match='teacher'):
        init_model(cfg, entry.weights, inference_only=False)
