from collections import Counter
from typing import List, Tuple

from .base_fer import FERDataset
from .transforms import ImageReadError, LoadFERImage


def check_dataset(dataset: FERDataset) -> Tuple[Counter, List[str]]:
    """Read every image of a dataset split once, up front.

    A corrupt image otherwise stops a training or test run when the loader
    reaches it, and only that one is named; this names every bad file at
    once.

    Args:
        dataset (FERDataset): A built dataset (its own pipeline is not
            run: each image is only loaded).

    Returns:
        tuple[Counter, list[str]]: The number of samples per class name,
        and the error of every image that cannot be used (``ImageReadError``
        messages, which name the file).
    """
    load = LoadFERImage()
    classes = dataset.metainfo['classes']
    counts, errors = Counter(), []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        counts[classes[info['gt_label']]] += 1
        try:
            load(dict(info))
        except ImageReadError as e:
            errors.append(str(e))
    return counts, errors
