from typing import List

from mmlldif.registry import DATASETS
from .base_fer import AnnotationError, FERDataset


@DATASETS.register_module()
class AffectNet(FERDataset):
    """AffectNet (Mollahosseini et al., TAC 2017), manually annotated part.

    Layout, as distributed::

        data_root/training.csv
        data_root/validation.csv
        data_root/Manually_Annotated_Images/<subDirectory_filePath>

    CSV columns include ``subDirectory_filePath`` and ``expression``
    (0 neutral, 1 happy, 2 sad, 3 surprise, 4 fear, 5 disgust, 6 anger,
    7 contempt, 8 none, 9 uncertain, 10 no-face). Rows with 8-10 are
    dropped, and contempt too when ``num_classes=7``. The test set is not
    public: ``'val'`` and ``'test'`` both read ``validation.csv``, where
    published numbers are reported. The face box columns are kept in each
    sample as ``face_bbox`` (x, y, w, h).

    Args:
        data_root (str): The dataset root.
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to
            ``'train'``.
        num_classes (int): 7 or 8 (with contempt). Defaults to 7.
        img_folder (str): Defaults to ``'Manually_Annotated_Images'``.
        **kwargs: Other arguments of :class:`FERDataset`.
    """

    METAINFO = dict(classes=('neutral', 'happy', 'sad', 'surprise', 'fear',
                             'disgust', 'anger', 'contempt'))
    CSV = dict(train='training.csv', val='validation.csv',
               test='validation.csv')
    BOX = ('face_x', 'face_y', 'face_width', 'face_height')

    def __init__(self,
                 data_root: str,
                 num_classes: int = 7,
                 img_folder: str = 'Manually_Annotated_Images',
                 **kwargs):
        if num_classes not in (7, 8):
            raise ValueError(
                f'AffectNet: num_classes must be 7 or 8, got {num_classes}.')
        classes = self.METAINFO['classes'][:num_classes]
        self.img_folder = img_folder
        super().__init__(data_root=data_root, metainfo=dict(classes=classes),
                         **kwargs)

    def load_split(self) -> List[dict]:
        csv_path = self.path_in_root(self.CSV[self.split])
        data_list = []
        for line, row in self.read_csv(csv_path,
                                       ('subDirectory_filePath',
                                        'expression')):
            try:
                label = int(row['expression'])
                box = [int(float(row[k])) for k in self.BOX
                       ] if all(row.get(k) for k in self.BOX) else None
            except (TypeError, ValueError):
                raise AnnotationError(
                    csv_path, 'expression and face box must be numbers',
                    line) from None
            if not 0 <= label <= 10:
                raise AnnotationError(csv_path,
                                      f'expression {label} is not in 0..10',
                                      line)
            if label >= len(self.CLASSES):
                continue
            rel = row['subDirectory_filePath'].strip()
            data_list.append(
                dict(
                    img_path=self.path_in_root(self.img_folder, rel),
                    gt_label=label,
                    face_bbox=box,
                    img_id=rel))
        return data_list
