import os
import os.path as osp
import warnings
from typing import List

import numpy as np

from mmlldif.registry import DATASETS
from .base_fer import AnnotationError, FERDataset

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.bmp', '.tif',
                  '.tiff', '.webp')


@DATASETS.register_module()
class FER2013(FERDataset):
    """FER2013 (Goodfellow et al., ICML 2013 representation-learning
    challenge): 35,887 grayscale 48x48 faces, 7 expressions.

    Two on-disk layouts are read:

    - Class folders (``layout='folders'``), as in ``shared/datasets/fer2013``
      and as written by ``tools/dataset_converters/make_synthfer.py``::

          data_root/{train,val,test}/<class name>/<image>

    - The challenge CSV (``layout='csv'``), ``data_root/fer2013.csv`` with
      columns ``emotion,pixels,Usage``; ``Usage`` is ``Training`` (train),
      ``PublicTest`` (val) or ``PrivateTest`` (test).

    ``layout='auto'`` picks the CSV when the file exists.

    Classes, in the usual label order: angry, disgust, fear, happy, sad,
    surprise, neutral.

    Args:
        data_root (str): The dataset root.
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to
            ``'train'``.
        layout (str): ``'auto'``, ``'folders'`` or ``'csv'``.
            Defaults to ``'auto'``.
        csv_file (str): Name of the CSV under ``data_root``.
            Defaults to ``'fer2013.csv'``.
        **kwargs: Other arguments of :class:`FERDataset`.

    Examples:
        >>> from mmlldif.datasets import FER2013
        >>> ds = FER2013('../shared/datasets/fer2013', split='test')
        >>> len(ds)
        3589
    """

    METAINFO = dict(classes=('angry', 'disgust', 'fear', 'happy', 'sad',
                             'surprise', 'neutral'))
    CSV_USAGE = dict(train='Training', val='PublicTest', test='PrivateTest')
    FOLDER_SPLIT = dict(train='train', val='val', test='test')

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 layout: str = 'auto',
                 csv_file: str = 'fer2013.csv',
                 **kwargs):
        if layout not in ('auto', 'folders', 'csv'):
            raise ValueError(f'{type(self).__name__}: layout must be "auto", '
                             f'"folders" or "csv", got "{layout}".')
        self.layout = layout
        self.csv_file = csv_file
        super().__init__(data_root=data_root, split=split, **kwargs)

    def load_split(self) -> List[dict]:
        csv_path = self.path_in_root(self.csv_file)
        if self.layout == 'csv' or (self.layout == 'auto'
                                    and osp.isfile(csv_path)):
            return self._load_csv(csv_path)
        return self._load_folders()

    def _load_folders(self) -> List[dict]:
        split_dir = self.path_in_root(self.FOLDER_SPLIT[self.split])
        if not osp.isdir(split_dir):
            raise FileNotFoundError(
                f'{type(self).__name__}: no "{self.split}" folder at '
                f'{split_dir} (expected <data_root>/'
                f'{self.FOLDER_SPLIT[self.split]}/<class>/<image>).')
        known = {name: i for i, name in enumerate(self.CLASSES)}
        data_list, others = [], []
        for folder in sorted(os.listdir(split_dir)):
            folder_path = osp.join(split_dir, folder)
            if not osp.isdir(folder_path):
                continue
            if folder not in known:
                raise AnnotationError(
                    folder_path, f'"{folder}" is not a class of '
                    f'{type(self).__name__}; expected one of '
                    f'{tuple(self.CLASSES)}')
            for name in sorted(os.listdir(folder_path)):
                if not name.lower().endswith(IMG_EXTENSIONS):
                    if not name.startswith('.'):
                        others.append(osp.join(folder_path, name))
                    continue
                rel = f'{self.FOLDER_SPLIT[self.split]}/{folder}/{name}'
                data_list.append(
                    dict(
                        img_path=osp.join(folder_path, name),
                        gt_label=known[folder],
                        img_id=rel))
        if others:
            warnings.warn(
                f'{type(self).__name__}: {len(others)} files of the '
                f'"{self.split}" class folders are not images of a kind it '
                f'reads ({", ".join(IMG_EXTENSIONS)}) and are left out, e.g. '
                f'{others[0]}; convert them (HEIC, GIF) to PNG or JPEG.')
        return data_list

    def _load_csv(self, csv_path: str) -> List[dict]:
        usage = self.CSV_USAGE[self.split]
        data_list = []
        for line, row in self.read_csv(csv_path,
                                       ('emotion', 'pixels', 'Usage')):
            if row['Usage'] != usage:
                continue
            try:
                label = int(row['emotion'])
                pixels = np.array(row['pixels'].split(), dtype=np.uint8)
            except (TypeError, ValueError, OverflowError) as e:
                raise AnnotationError(csv_path, f'unreadable row: {e}',
                                      line) from None
            self.check_label(label, csv_path, line)
            side = int(round(np.sqrt(pixels.size)))
            if side * side != pixels.size or side == 0:
                raise AnnotationError(
                    csv_path,
                    f'{pixels.size} pixels do not form a square image', line)
            data_list.append(
                dict(
                    img=pixels.reshape(side, side),
                    gt_label=label,
                    img_id=f'{self.csv_file}:{line}'))
        return data_list
