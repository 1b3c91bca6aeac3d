from typing import List

from mmlldif.registry import DATASETS
from .base_fer import AnnotationError, FERDataset


@DATASETS.register_module()
class RAFDB(FERDataset):
    """RAF-DB basic emotions (Li et al., CVPR 2017): 15,339 aligned faces,
    7 expressions.

    Layout, as distributed::

        data_root/EmoLabel/list_patition_label.txt   # "train_00001.jpg 5"
        data_root/Image/aligned/train_00001_aligned.jpg

    Labels 1..7 in the file mean surprise, fear, disgust, happiness,
    sadness, anger, neutral; they become class indices 0..6 in that order.
    RAF-DB has no validation split: ``'val'`` reads the test split, which is
    where published numbers are reported.

    Args:
        data_root (str): The dataset root.
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to
            ``'train'``.
        ann_file_name (str): Relative path of the label list. Defaults to
            ``'EmoLabel/list_patition_label.txt'``.
        img_folder (str): Relative folder of the aligned images. Defaults to
            ``'Image/aligned'``.
        **kwargs: Other arguments of :class:`FERDataset`.
    """

    METAINFO = dict(classes=('surprise', 'fear', 'disgust', 'happiness',
                             'sadness', 'anger', 'neutral'))
    PREFIX = dict(train='train_', val='test_', test='test_')

    def __init__(self,
                 data_root: str,
                 ann_file_name: str = 'EmoLabel/list_patition_label.txt',
                 img_folder: str = 'Image/aligned',
                 **kwargs):
        self.ann_file_name = ann_file_name
        self.img_folder = img_folder
        super().__init__(data_root=data_root, **kwargs)

    def load_split(self) -> List[dict]:
        ann_path = self.path_in_root(self.ann_file_name)
        with open(ann_path, encoding='utf-8-sig') as f:
            lines = f.read().splitlines()
        prefix = self.PREFIX[self.split]
        data_list = []
        for line_no, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2 or not parts[1].lstrip('-').isdigit():
                raise AnnotationError(
                    ann_path, f'expected "<image name> <label 1-7>", got '
                    f'"{line}"', line_no)
            name, label = parts[0], int(parts[1]) - 1
            self.check_label(label, ann_path, line_no)
            if not name.startswith(prefix):
                continue
            stem, ext = name.rsplit('.', 1)
            aligned = f'{stem}_aligned.{ext}'
            data_list.append(
                dict(
                    img_path=self.path_in_root(self.img_folder, aligned),
                    gt_label=label,
                    img_id=aligned))
        return data_list
