from typing import List

import numpy as np

from mmlldif.registry import DATASETS
from .base_fer import AnnotationError, FERDataset


@DATASETS.register_module()
class FERPlus(FERDataset):
    """FERPlus (Barsoum et al., ICMI 2016): FER2013 faces relabelled by 10
    annotators each, 8 classes including contempt.

    Layout, as Microsoft's FERPlus tools write it::

        data_root/fer2013new.csv
        data_root/FER2013Train/fer0000000.png ...
        data_root/FER2013Valid/...
        data_root/FER2013Test/...

    ``fer2013new.csv`` columns: ``Usage, Image name, neutral, happiness,
    surprise, sadness, anger, disgust, fear, contempt, unknown, NF``. The
    label is the majority vote over the 8 emotions (ties go to the first
    class in that order); rows without an image name, or whose largest vote
    is ``unknown`` or ``NF``, are dropped, as in the FERPlus "majority"
    protocol.

    Args:
        data_root (str): The dataset root.
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to
            ``'train'``.
        ann_name (str): Name of the vote file. Defaults to
            ``'fer2013new.csv'``.
        **kwargs: Other arguments of :class:`FERDataset`.
    """

    METAINFO = dict(classes=('neutral', 'happiness', 'surprise', 'sadness',
                             'anger', 'disgust', 'fear', 'contempt'))
    USAGE = dict(train='Training', val='PublicTest', test='PrivateTest')
    FOLDERS = dict(
        Training='FER2013Train',
        PublicTest='FER2013Valid',
        PrivateTest='FER2013Test')
    NON_EMOTIONS = ('unknown', 'NF')

    def __init__(self, data_root: str, ann_name: str = 'fer2013new.csv',
                 **kwargs):
        self.ann_name = ann_name
        super().__init__(data_root=data_root, **kwargs)

    def load_split(self) -> List[dict]:
        ann_path = self.path_in_root(self.ann_name)
        usage = self.USAGE[self.split]
        folder = self.FOLDERS[usage]
        vote_cols = list(self.CLASSES) + list(self.NON_EMOTIONS)
        data_list = []
        for line, row in self.read_csv(ann_path,
                                       ['Usage', 'Image name', *vote_cols]):
            name = (row['Image name'] or '').strip()
            if row['Usage'] != usage or not name:
                continue
            try:
                votes = np.array([float(row[c]) for c in vote_cols])
            except (TypeError, ValueError):
                raise AnnotationError(
                    ann_path, 'vote counts must be numbers, got '
                    f'{[row[c] for c in vote_cols]}', line) from None
            if (votes < 0).any() or votes.sum() <= 0:
                raise AnnotationError(
                    ann_path, f'invalid vote counts {votes.tolist()}', line)
            best = int(np.argmax(votes))
            if best >= len(self.CLASSES):
                continue
            data_list.append(
                dict(
                    img_path=self.path_in_root(folder, name),
                    gt_label=best,
                    img_id=f'{folder}/{name}'))
        return data_list
