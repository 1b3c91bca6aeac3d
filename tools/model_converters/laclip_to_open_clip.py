"""Export a pretrained LA-CLIP (``configs/laclip/``) as an open_clip model.

    python tools/model_converters/laclip_to_open_clip.py \\
        configs/laclip/laclip_fer2013_cpu.py \\
        work_dirs/laclip_fer2013_cpu/best_accuracy_top1_epoch_N.pth \\
        exports/ --name laclip-fer2013-cpu

and then, with open_clip alone::

    open_clip.add_model_config('exports/laclip-fer2013-cpu.json')
    model = open_clip.create_model('laclip-fer2013-cpu',
                                   pretrained='exports/laclip-fer2013-cpu.pth')
"""
import argparse

from mmengine.config import Config

import mmlldif  # noqa: F401  (fails early and clearly if not installed)
from mmlldif.apis.open_clip_export import export_open_clip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the LA-CLIP pretraining config')
    parser.add_argument('checkpoint', help='its checkpoint')
    parser.add_argument('out_dir', help='output folder')
    parser.add_argument(
        '--name', default='laclip', help='open_clip model name of the export')
    args = parser.parse_args()
    clip_cfg = Config.fromfile(args.config).model.la_clip.get('clip_cfg')
    if clip_cfg is None:
        raise SystemExit(f'{args.config}: model.la_clip has no clip_cfg; only '
                         'LA-CLIPs built from a clip_cfg can be exported.')
    for path in export_open_clip(args.checkpoint, clip_cfg.to_dict(),
                                 args.out_dir, args.name):
        print(path)


if __name__ == '__main__':
    main()
