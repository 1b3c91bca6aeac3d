"""Accuracy, mean class accuracy and confusion matrices of predictions."""
from typing import Optional, Sequence, Tuple

import numpy as np
import torch


def classification_figures(preds: Sequence[int],
                           labels: Sequence[int]) -> dict:
    """Accuracy and mean class accuracy (the mean of the per-class recalls
    over the classes present), both in %.

    Args:
        preds (Sequence[int]): Predicted classes, (N, ).
        labels (Sequence[int]): True classes, (N, ).

    Returns:
        dict: ``accuracy``, ``mean_class_accuracy`` and ``images``.
    """
    preds, labels = np.asarray(preds), np.asarray(labels)
    if preds.shape != labels.shape or not len(labels):
        raise ValueError(f'{preds.shape} predictions for {labels.shape} '
                         'labels: need the same, non-zero number.')
    recalls = [(preds[labels == c] == c).mean() for c in np.unique(labels)]
    return dict(
        accuracy=100 * float((preds == labels).mean()),
        mean_class_accuracy=100 * float(np.mean(recalls)),
        images=len(labels))


def confusion_matrix(preds: Sequence[int], labels: Sequence[int],
                     num_classes: int) -> torch.Tensor:
    """Counts, (num_classes, num_classes): rows true, columns predicted."""
    pred = torch.as_tensor(np.asarray(preds), dtype=torch.long)
    target = torch.as_tensor(np.asarray(labels), dtype=torch.long)
    matrix = torch.zeros(num_classes, num_classes, dtype=torch.long)
    matrix.index_put_((target, pred), torch.ones_like(pred), accumulate=True)
    return matrix


def plot_confusion(matrix,
                   classes: Sequence[str],
                   path: str,
                   title: Optional[str] = None,
                   normalize: bool = False) -> None:
    """Save mmpretrain's plot of a confusion matrix (rows true classes) to
    a PNG file.

    Args:
        matrix (Tensor | list): Counts, (C, C).
        classes (Sequence[str]): The C class names.
        path (str): Output file.
        title (str, optional): Defaults to None.
        normalize (bool): Show rows that sum to 1. Defaults to False.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from mmpretrain.evaluation import ConfusionMatrix
    matrix = torch.as_tensor(matrix)
    if normalize:
        matrix = matrix.float() / matrix.sum(1, keepdim=True).clamp(min=1)
    fig = ConfusionMatrix.plot(
        matrix, classes=list(classes), include_values=True, show=False)
    if title:
        fig.suptitle(title)
    fig.savefig(path, dpi=100, bbox_inches='tight')
    plt.close(fig)


@torch.no_grad()
def predict_scores(model, loader) -> Tuple[np.ndarray, np.ndarray]:
    """Class scores (N, C) and true classes (N, ) of every sample of a
    loader, through the model's own ``test_step`` (its data preprocessor
    and prediction)."""
    scores, labels = [], []
    with torch.no_grad():
        for data in loader:
            for sample in model.test_step(data):
                scores.append(sample.pred_score.cpu().numpy())
                labels.append(int(sample.gt_label))
    return np.stack(scores), np.array(labels)


def predict_split(model, loader) -> Tuple[np.ndarray, np.ndarray]:
    """Predicted and true classes of every sample of a loader
    (:func:`predict_scores`)."""
    scores, labels = predict_scores(model, loader)
    return scores.argmax(1), labels


def logit_average(scores: Sequence[np.ndarray]) -> np.ndarray:
    """The ensemble of several models' class scores (softmax outputs, each
    (N, C)): the mean of their log-probabilities, which ranks the classes
    of an image as the mean of the models' logits does (a log-softmax is
    the logits less one constant per image and model). (N, C)."""
    if len({s.shape for s in scores}) != 1:
        raise ValueError('logit_average: the models score different '
                         f'numbers of images or classes: '
                         f'{[s.shape for s in scores]}')
    return np.mean([np.log(np.clip(s, 1e-12, None)) for s in scores], axis=0)
