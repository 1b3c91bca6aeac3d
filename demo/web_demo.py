"""A web page to try mmlldif on a photo: upload one or take the sample,
choose a darkness to simulate, see the faces, their expressions and the
class scores of each model side by side.

    pip install -e '.[demo]'
    python demo/web_demo.py                 # http://127.0.0.1:7860
    python demo/web_demo.py --models lldif_stage2_ll-fer2013_cpu \\
        llformer_ll-fer2013_cpu --port 7861

By default the page compares the shipped models, the most accurate in the
dark first: the LLformer distilled from LA-CLIP for 16 epochs, then LLDif.

Models are names of the model zoo whose weights ship with mmlldif
(``mmlldif.apis.list_models(with_weights=True)``; a name without weights is
left out with a note). The page's function is also an HTTP API
(``/gradio_api/call/analyse``), e.g. through ``gradio_client``::

    Client('http://127.0.0.1:7860/').predict(
        handle_file('photo.jpg'), 0.05, api_name='/analyse')
"""
import argparse
import os
import os.path as osp
import tempfile
from typing import Dict, List, Sequence

import cv2
import numpy as np

from mmlldif.apis import LLDifInferencer, list_models
from mmlldif.apis.visualization import draw_faces
from mmlldif.datasets.transforms import darken
from mmlldif.utils.threads import apply_thread_policy

# the shipped models, the most accurate in the dark first (docs/results.md)
DEFAULT_MODELS = ('llformer_kd-laclip-e16_ll-fer2013_cpu',
                  'lldif_stage2_ll-fer2013_cpu')
#: longer side of an upload as analysed: larger photos are scaled down
MAX_SIDE = 1600
NO_FACE = ('no face found: try a larger or brighter face, or a photo '
           'cropped to the face')


def load_inferencers(names: Sequence[str]) -> tuple:
    """({name: inferencer} of the names with shipped weights, [names left
    out])."""
    shipped = set(list_models(with_weights=True))
    inferencers = {
        name: LLDifInferencer(name, face_detector='haar')
        for name in names if name in shipped
    }
    return inferencers, [n for n in names if n not in shipped]


def page_protocol(inferencers: Dict[str, LLDifInferencer]) -> str:
    """The protocol the page darkens with: the one its first (best) model
    was trained on (ll-v1 for a model trained without darkening)."""
    first = next(iter(inferencers.values()))
    return first.low_light_protocol or 'll-v1'


def analyse(image_rgb: np.ndarray,
            darkness: float,
            inferencers: Dict[str, LLDifInferencer],
            protocol: str = 'll-v1') -> List:
    """What the page shows for one photo: per model, the annotated picture
    (RGB) and the class scores of its largest face (:data:`NO_FACE` where
    none is found); then the JSON of all.

    Args:
        image_rgb (np.ndarray): (H, W, 3) uint8 RGB, as the browser sends
            it.
        darkness (float): Darkness to simulate; 1 keeps the photo as it
            is (a real dark photo).
        inferencers (dict): name -> :class:`LLDifInferencer`.
        protocol (str): The low-light protocol to simulate with
            (:func:`page_protocol`). Defaults to ``'ll-v1'``.
    """
    if image_rgb is None:
        raise ValueError('no image: upload a photo or pick the sample')
    image_rgb = np.asarray(image_rgb)
    if image_rgb.ndim != 3 or image_rgb.shape[2] not in (3, 4) or min(
            image_rgb.shape[:2]) < 8:
        raise ValueError(f'not a photo this page can read (an array of '
                         f'shape {image_rgb.shape}); upload a JPEG or PNG')
    bgr = cv2.cvtColor(image_rgb[..., :3].astype(np.uint8),
                       cv2.COLOR_RGB2BGR)
    scale = MAX_SIDE / max(bgr.shape[:2])
    if scale < 1:  # a 9000x9000 upload took minutes and gigabytes
        bgr = cv2.resize(bgr, None, fx=scale, fy=scale,
                         interpolation=cv2.INTER_AREA)
    if darkness < 1:
        bgr = darken(bgr, float(darkness), protocol)
    outputs, report = [], dict(darkness=darkness, protocol=protocol,
                               models={})
    for name, inferencer in inferencers.items():
        faces = inferencer(bgr)[0].get('faces', [])
        picture = cv2.cvtColor(draw_faces(bgr, faces), cv2.COLOR_BGR2RGB)
        scores = NO_FACE
        if faces:
            largest = max(faces, key=lambda f: (f['box'][2] - f['box'][0]) *
                          (f['box'][3] - f['box'][1]))
            scores = dict(zip(inferencer.classes, largest['scores']))
        outputs += [picture, scores]
        report['models'][name] = faces
    return outputs + [report]


def sample_photo() -> str:
    """scikit-image's astronaut (NASA, public domain) as a PNG file in a
    folder of this process's own (a fixed name in the shared temp folder
    could be a link planted by another user)."""
    from skimage import data
    global _SAMPLE
    if _SAMPLE is None:
        _SAMPLE = osp.join(
            tempfile.mkdtemp(prefix='mmlldif_demo_'), 'astronaut.png')
        cv2.imwrite(_SAMPLE, cv2.cvtColor(data.astronaut(),
                                          cv2.COLOR_RGB2BGR))
    return _SAMPLE


_SAMPLE = None


def build_app(inferencers: Dict[str, LLDifInferencer],
              left_out: Sequence[str] = ()):
    """The Gradio page."""
    import gradio as gr
    protocol = page_protocol(inferencers)
    trained = {
        name: inferencer.low_light_protocol or 'no darkening'
        for name, inferencer in inferencers.items()
    }
    if len(set(trained.values())) == 1:
        whose = 'the protocol the models were trained on'
    else:
        whose = 'the first model\'s training protocol; ' + ', '.join(
            f'{name}: {p}' for name, p in trained.items())
    # uploads and outputs are deleted after an hour, and when the page stops
    with gr.Blocks(
            title='mmlldif: expressions in the dark',
            delete_cache=(3600, 3600)) as app:
        gr.Markdown(
            '# mmlldif: facial expressions in extremely low light\n'
            'Upload a photo (or take the sample), choose how dark to make '
            f'it with the {protocol} low-light protocol (1 = leave it as it '
            'is, for a photo that is already dark), and compare the models. '
            'Pictures are brightened for viewing; the models see the dark '
            'pixels.' + (f'\n\nNot shown (no weights shipped): '
                         f'{", ".join(left_out)}.' if left_out else ''))
        with gr.Row():
            photo = gr.Image(
                value=sample_photo(), label='photo', type='numpy',
                height=320)
            with gr.Column():
                darkness = gr.Slider(
                    0.01,
                    1.0,
                    value=0.05,
                    step=0.01,
                    label=f'darkness to simulate: {protocol}, {whose} '
                    '(1 = as it is)')
                button = gr.Button('Recognise', variant='primary')
        outputs = []
        with gr.Row():
            for name in inferencers:
                with gr.Column():
                    outputs.append(gr.Image(label=name, type='numpy'))
                    outputs.append(
                        gr.Label(label=f'{name}: largest face',
                                 num_top_classes=7))
        outputs.append(gr.JSON(label='all faces'))

        def run(image, level):
            try:
                return analyse(image, level, inferencers, protocol)
            except ValueError as e:  # the page shows the reason
                raise gr.Error(str(e)) from None

        button.click(run, [photo, darkness], outputs, api_name='analyse')
        # the page opens with the sample photo analysed
        app.load(run, [photo, darkness], outputs, api_name=False)
    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--models', nargs='+', default=list(DEFAULT_MODELS))
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=7860)
    parser.add_argument(
        '--max-upload-mb',
        type=float,
        default=20,
        help='largest upload accepted, in MB (default 20)')
    args = parser.parse_args()
    os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
    inferencers, left_out = load_inferencers(args.models)
    if not inferencers:
        raise SystemExit('none of the models has shipped weights: '
                         f'{", ".join(args.models)}; shipped: '
                         f'{", ".join(list_models(with_weights=True))}')
    build_app(inferencers, left_out).launch(
        server_name=args.host,
        server_port=args.port,
        share=False,
        max_file_size=f'{args.max_upload_mb}mb')


if __name__ == '__main__':
    apply_thread_policy()
    main()
