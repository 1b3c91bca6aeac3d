import os
import os.path as osp
import re
from typing import List, Optional, Sequence

from mmlldif.registry import DATASETS
from .base_fer import AnnotationError, FERDataset


@DATASETS.register_module()
class KDEF(FERDataset):
    """KDEF (Lundqvist et al., 1998): 70 actors, 7 expressions, 5 angles,
    2 sessions; 4,900 images.

    Layout, as distributed: one folder per session and actor, the
    expression and angle coded in the file name::

        data_root/AF01/AF01ANS.JPG
                  ^^^^ session (A/B), sex (F/M), actor id (01-35)
                      ^^ expression: AF AN DI HA NE SA SU
                        ^ angle: FL HL S HR FR

    KDEF has no official split. The split here is by actor, so no person is
    in two splits: actors whose id modulo 10 is 0 are test, 9 is val, the
    rest train (``split_by='actor'``); ``split_file`` names a text file of
    ``<relative path> <split>`` lines instead.

    Args:
        data_root (str): The dataset root.
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to
            ``'train'``.
        angles (Sequence[str], optional): Angle codes to keep, e.g.
            ``('S',)`` for frontal faces. Defaults to None (all five).
        split_file (str, optional): Text file with ``<relative path>
            <train|val|test>`` lines. Defaults to None.
        **kwargs: Other arguments of :class:`FERDataset`.
    """

    METAINFO = dict(classes=('afraid', 'angry', 'disgusted', 'happy',
                             'neutral', 'sad', 'surprised'))
    CODES = ('AF', 'AN', 'DI', 'HA', 'NE', 'SA', 'SU')
    ANGLES = ('FL', 'HL', 'S', 'HR', 'FR')
    NAME = re.compile(r'^([AB])([FM])(\d{2})([A-Z]{2})(FL|HL|S|HR|FR)$',
                      re.IGNORECASE)

    def __init__(self,
                 data_root: str,
                 angles: Optional[Sequence[str]] = None,
                 split_file: Optional[str] = None,
                 **kwargs):
        self.angles = tuple(a.upper() for a in angles) if angles else None
        if self.angles and set(self.angles) - set(self.ANGLES):
            raise ValueError(f'KDEF: unknown angle codes in {angles}; '
                             f'expected some of {self.ANGLES}.')
        self.split_file = split_file
        super().__init__(data_root=data_root, **kwargs)

    def _actor_split(self, actor_id: int) -> str:
        if actor_id % 10 == 0:
            return 'test'
        return 'val' if actor_id % 10 == 9 else 'train'

    def _read_split_file(self) -> dict:
        path = self.path_in_root(self.split_file)
        splits = {}
        with open(path, encoding='utf-8-sig') as f:
            for line_no, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                parts = line.split()
                if len(parts) != 2 or parts[1] not in self.SPLITS:
                    raise AnnotationError(
                        path, 'expected "<relative path> <train|val|test>"'
                        f', got "{line.rstrip()}"', line_no)
                splits[parts[0]] = parts[1]
        return splits

    def load_split(self) -> List[dict]:
        fixed = self._read_split_file() if self.split_file else None
        data_list = []
        for folder in sorted(os.listdir(self.data_root)):
            folder_path = self.path_in_root(folder)
            if not osp.isdir(folder_path):
                continue
            for name in sorted(os.listdir(folder_path)):
                stem, ext = osp.splitext(name)
                if ext.lower() not in ('.jpg', '.jpeg', '.png'):
                    continue
                path = osp.join(folder_path, name)
                match = self.NAME.match(stem)
                if not match or match.group(4).upper() not in self.CODES:
                    raise AnnotationError(
                        path, 'file name does not follow KDEF\'s '
                        '<session><sex><id><expression><angle> code, e.g. '
                        '"AF01ANS.JPG"')
                _, _, actor, code, angle = match.groups()
                if self.angles and angle.upper() not in self.angles:
                    continue
                rel = f'{folder}/{name}'
                split = (
                    fixed.get(rel) if fixed is not None else
                    self._actor_split(int(actor)))
                if split != self.split:
                    continue
                data_list.append(
                    dict(
                        img_path=path,
                        gt_label=self.CODES.index(code.upper()),
                        img_id=rel))
        return data_list
