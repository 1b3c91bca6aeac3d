"""Export a trained classifier to ONNX: raw images in, class scores out.

The exported graph holds the data preprocessor (BGR to RGB, mean/std, the
per-image standardisation) and, for LLDif stage 2, the condition network and
every reverse diffusion step, unrolled (their number is fixed at export by
``model.diffusion.num_inference_steps``). The start noise is a constant of
the graph, so the ONNX model gives the PyTorch model's predictions.
"""
from typing import Tuple

import numpy as np
import torch
import torch.nn as nn


class ScoreModel(nn.Module):
    """A classifier with its data preprocessor, for export.

    Args:
        model (nn.Module): An mmpretrain-style classifier (``ImageClassifier``,
            ``LLDifStage2``) whose ``data_preprocessor`` is a
            ``ClsDataPreprocessor`` (or ``LowLightDataPreprocessor``).
    """

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model
        # the wrapper itself in eval mode: torch.onnx.export restores the
        # wrapper's mode after tracing, which would put BN back in training
        self.eval()

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Args: images (B, 3, H, W), float, BGR, 0-255, as loaded.

        Returns:
            Tensor: class probabilities, (B, num_classes).
        """
        x = self.model.data_preprocessor(dict(inputs=images), False)['inputs']
        return self.model(x, mode='tensor').softmax(dim=-1)


def export_onnx(model: nn.Module,
                path: str,
                input_size: Tuple[int, int],
                opset: int = 17) -> ScoreModel:
    """Write ``model`` as ONNX to ``path`` with a dynamic batch axis.

    Args:
        model (nn.Module): The classifier, weights loaded.
        path (str): Output ``.onnx`` file.
        input_size (tuple[int, int]): (H, W) of the model's input.
        opset (int): ONNX opset. Defaults to 17.

    Returns:
        ScoreModel: The exported PyTorch module, to compare with.
    """
    wrapper = ScoreModel(model)
    dummy = torch.rand(2, 3, *input_size) * 255
    torch.onnx.export(
        wrapper, (dummy, ),
        path,
        dynamo=False,
        input_names=['images'],
        output_names=['scores'],
        dynamic_axes=dict(images={0: 'batch'}, scores={0: 'batch'}),
        opset_version=opset)
    return wrapper


def compare_with_onnxruntime(wrapper: ScoreModel, path: str,
                             images: np.ndarray) -> float:
    """Max absolute difference of ONNX Runtime's and PyTorch's scores.

    Args:
        wrapper (ScoreModel): The exported module.
        path (str): The ``.onnx`` file.
        images (np.ndarray): (B, 3, H, W) float32 BGR 0-255 images.

    Returns:
        float: ``max |scores_onnxruntime - scores_pytorch|``.
    """
    import onnxruntime
    session = onnxruntime.InferenceSession(
        path, providers=['CPUExecutionProvider'])
    ours = session.run(None, {'images': images.astype(np.float32)})[0]
    with torch.no_grad():
        theirs = wrapper(torch.from_numpy(images)).numpy()
    return float(np.abs(ours - theirs).max())
