"""demo/web_demo.py: started on 127.0.0.1 and called through its HTTP API
with the shipped weights, as a user's browser or script would."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from fixtures import REPO

gradio_client = pytest.importorskip('gradio_client')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module')
def server():
    port = free_port()
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED='False')
    proc = subprocess.Popen(
        [sys.executable, 'demo/web_demo.py', '--port', str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True)
    url = f'http://127.0.0.1:{port}/'
    try:
        for _ in range(240):  # up to 2 minutes to import and start
            if proc.poll() is not None:
                raise RuntimeError('web_demo.py exited:\n' +
                                   proc.stdout.read()[-3000:])
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError('web_demo.py did not answer in 2 minutes')
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_page_recognises_the_sample_photo_through_the_http_api(server):
    sys.path.insert(0, os.path.join(REPO, 'demo'))
    from web_demo import sample_photo
    client = gradio_client.Client(server, verbose=False)
    outputs = client.predict(
        gradio_client.handle_file(sample_photo()), 0.05, api_name='/analyse')
    *per_model, report = outputs
    assert report['darkness'] == 0.05
    # the page darkens with the protocol its best model was trained on
    assert report['protocol'] == 'll-v1'
    models = report['models']
    # the shipped models, the most accurate first, each with one face
    # found on the darkened photo
    assert list(models) == [
        'llformer_kd-laclip-e16_ll-fer2013_cpu', 'lldif_stage2_ll-fer2013_cpu'
    ]
    assert len(per_model) == 2 * len(models)
    for (name, faces), scores in zip(models.items(), per_model[1::2]):
        assert len(faces) == 1, (name, faces)
        face = faces[0]
        assert scores['label'] == face['label_name']
        confidences = [c['confidence'] for c in scores['confidences']]
        assert sum(confidences) == pytest.approx(1, abs=1e-3)
        assert max(confidences) == pytest.approx(face['score'], abs=1e-4)


def test_no_face_is_said(tmp_path):
    """A photo without a face: each model's panel says so, not an empty
    chart."""
    import numpy as np
    sys.path.insert(0, os.path.join(REPO, 'demo'))
    from web_demo import NO_FACE, analyse, load_inferencers, page_protocol
    inferencers, left_out = load_inferencers(
        ['lldif_stage2_ll-fer2013_cpu', 'resnet18_ll-fer2013_cpu'])
    assert left_out == ['resnet18_ll-fer2013_cpu']  # no weights shipped
    assert page_protocol(inferencers) == 'll-v1'
    # uploads and outputs are deleted after an hour and when it stops
    from web_demo import build_app
    assert build_app(inferencers).delete_cache == (3600, 3600)
    wall = np.full((240, 320, 3), 128, np.uint8)
    picture, scores, report = analyse(wall, 0.05, inferencers)
    assert scores == NO_FACE and report['models'] == {
        'lldif_stage2_ll-fer2013_cpu': []
    }
    assert picture.shape[2] == 3


def test_bad_uploads_are_named_and_big_ones_scaled_down():
    import numpy as np
    sys.path.insert(0, os.path.join(REPO, 'demo'))
    from web_demo import MAX_SIDE, analyse, load_inferencers, sample_photo
    inferencers, _ = load_inferencers(['lldif_stage2_ll-fer2013_cpu'])
    for bad in (None, np.zeros((4, 4, 3), np.uint8), np.zeros((10, 10))):
        with pytest.raises(ValueError, match='no image|not a photo'):
            analyse(bad, 0.05, inferencers)
    big = np.full((MAX_SIDE * 2, MAX_SIDE, 3), 120, np.uint8)
    picture = analyse(big, 0.05, inferencers)[0]
    assert max(picture.shape[:2]) <= MAX_SIDE
    # the sample lives in a folder of this process's own
    assert os.path.basename(os.path.dirname(sample_photo())).startswith(
        'mmlldif_demo_')


def test_an_upload_over_the_limit_is_refused(server, tmp_path):
    big = tmp_path / 'huge.png'
    big.write_bytes(b'\0' * (21 * 2**20))  # over the default 20 MB
    client = gradio_client.Client(server, verbose=False)
    with pytest.raises(Exception, match='(?i)size|large|exceed|413'):
        client.predict(
            gradio_client.handle_file(str(big)), 0.05, api_name='/analyse')
