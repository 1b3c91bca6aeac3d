import hashlib
from collections import Counter
from typing import Dict, List, Optional, Tuple

from .base_fer import FERDataset
from .transforms import ImageReadError, LoadFERImage


def check_dataset(
        dataset: FERDataset
) -> Tuple[Counter, List[str], List[Optional[str]]]:
    """Read every image of a dataset split once, up front.

    A corrupt image otherwise stops a training or test run when the loader
    reaches it, and only that one is named; this names every bad file at
    once.

    Args:
        dataset (FERDataset): A built dataset (its own pipeline is not
            run: each image is only loaded).

    Returns:
        tuple: The number of samples per class name (Counter); the error
        of every image that cannot be used (``ImageReadError`` messages,
        which name the file); and each sample's pixel digest (SHA-1 of its
        decoded 8-bit pixels and shape; None where unreadable), which
        :func:`split_overlap` compares across splits.
    """
    load = LoadFERImage()
    classes = dataset.metainfo['classes']
    counts, errors, digests = Counter(), [], []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        counts[classes[info['gt_label']]] += 1
        try:
            img = load(dict(info))['img']
        except ImageReadError as e:
            errors.append(str(e))
            digests.append(None)
            continue
        digests.append(
            hashlib.sha1(str(img.shape).encode() + img.tobytes()).hexdigest())
    return counts, errors, digests


def sample_name(dataset: FERDataset, index: int) -> str:
    """The file (or CSV image id) of a sample, for reports."""
    info = dataset.get_data_info(index)
    return str(info.get('img_path') or info.get('img_id', index))


def split_overlap(train: FERDataset, train_digests: List[Optional[str]],
                  other: FERDataset,
                  other_digests: List[Optional[str]]) -> List[Dict]:
    """The samples of ``other`` (a val or test split) whose pixels are
    identical to a training sample's: a test face the model may have
    trained on.

    Returns:
        list[dict]: One per such sample: ``index``, ``image``, ``label``
        and the first identical training sample's ``train_index``,
        ``train_image``, ``train_label`` (class names).
    """
    classes = train.metainfo['classes']
    first = {}
    for i, digest in enumerate(train_digests):
        if digest is not None:
            first.setdefault(digest, i)
    rows = []
    for i, digest in enumerate(other_digests):
        if digest not in first:
            continue
        j = first[digest]
        rows.append(
            dict(
                index=i,
                image=sample_name(other, i),
                label=classes[other.get_data_info(i)['gt_label']],
                train_index=j,
                train_image=sample_name(train, j),
                train_label=classes[train.get_data_info(j)['gt_label']]))
    return rows
