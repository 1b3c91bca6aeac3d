from .face_detectors import (HaarFaceDetector, WholeImage,
                             build_face_detector)
from .inferencer import LLDifInferencer
from .model import init_model

__all__ = [
    'LLDifInferencer', 'init_model', 'HaarFaceDetector', 'WholeImage',
    'build_face_detector'
]
