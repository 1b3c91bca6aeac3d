import csv
import os.path as osp
import warnings
from typing import Iterator, List, Optional, Sequence, Tuple

from mmpretrain.datasets import BaseDataset

from mmlldif.registry import TRANSFORMS
from mmlldif.utils.errors import InputError


class AnnotationError(InputError, ValueError):
    """An annotation file or image name that cannot be parsed.

    The message always names the file and, where there is one, the line.
    """

    def __init__(self, path: str, msg: str, line: Optional[int] = None):
        where = path if line is None else f'{path}, line {line}'
        super().__init__(f'{where}: {msg}')


class FERDataset(BaseDataset):
    """Base class of the facial expression datasets.

    A subclass sets ``METAINFO['classes']`` and implements
    :meth:`load_split`, which reads one split of the dataset in the layout
    its users have on disk. Every sample dict holds ``img_path`` (or a
    decoded ``img``), ``gt_label`` and ``img_id``, a name that is stable
    across machines and orderings; the low-light transform seeds its fixed
    val/test draw from it.

    Args:
        data_root (str): The root folder of the dataset.
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to
            ``'train'``.
        pipeline (Sequence): Processing pipeline. Defaults to ().
        test_mode (bool, optional): Defaults to True for val and test.
        **kwargs: Other keyword arguments of
            :class:`mmpretrain.datasets.BaseDataset`.
    """

    SPLITS = ('train', 'val', 'test')

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 pipeline: Sequence = (),
                 test_mode: Optional[bool] = None,
                 **kwargs):
        if split not in self.SPLITS:
            raise ValueError(f'{type(self).__name__}: split must be one of '
                             f'{self.SPLITS}, got "{split}".')
        self.split = split
        if test_mode is None:
            test_mode = split != 'train'
        # Built here so that mmlldif's transforms resolve whatever the
        # default scope is (mmpretrain's BaseDataset uses its own registry).
        pipeline = [
            TRANSFORMS.build(t) if isinstance(t, dict) else t
            for t in pipeline
        ]
        super().__init__(
            ann_file='',
            data_root=data_root,
            pipeline=pipeline,
            test_mode=test_mode,
            **kwargs)

    def load_split(self) -> List[dict]:
        """Read the samples of ``self.split``."""
        raise NotImplementedError

    def load_data_list(self) -> List[dict]:
        if not osp.isdir(self.data_root):
            raise FileNotFoundError(f'{type(self).__name__}: data_root '
                                    f'"{self.data_root}" is not a folder.')
        data_list = self.load_split()
        if not data_list:
            raise ValueError(f'{type(self).__name__}: the "{self.split}" '
                             f'split under {self.data_root} has no samples.')
        present = {sample['gt_label'] for sample in data_list}
        absent = [c for i, c in enumerate(self.CLASSES) if i not in present]
        if absent:
            warnings.warn(
                f'{type(self).__name__}: the "{self.split}" split under '
                f'{self.data_root} has no sample of {", ".join(absent)}; '
                'is a class folder or annotation missing? Its accuracy and '
                'mean class accuracy leave those classes out.')
        return data_list

    def check_label(self, label: int, path: str, line: Optional[int] = None):
        """Raise :class:`AnnotationError` if ``label`` is not a class index."""
        if not 0 <= label < len(self.CLASSES):
            raise AnnotationError(
                path, f'label {label} is out of range for the '
                f'{len(self.CLASSES)} classes {tuple(self.CLASSES)}', line)

    def path_in_root(self, *parts: str) -> str:
        return osp.join(self.data_root, *parts)

    def read_csv(self, path: str,
                 required: Sequence[str]) -> Iterator[Tuple[int, dict]]:
        """Yield ``(line number, row)`` of a CSV file with a header.

        Raises:
            FileNotFoundError: ``path`` does not exist.
            AnnotationError: A column of ``required`` is missing.
        """
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{type(self).__name__}: CSV file not found: {path}')
        # utf-8-sig: a byte-order mark, as spreadsheet programs write, is not
        # part of the first column's name
        with open(path, newline='', encoding='utf-8-sig') as f:
            reader = csv.DictReader(f)
            reader.fieldnames = [h.strip() for h in reader.fieldnames or ()]
            missing = set(required) - set(reader.fieldnames)
            if missing:
                raise AnnotationError(path,
                                      f'missing columns {sorted(missing)}', 1)
            for row in reader:
                yield reader.line_num, row
