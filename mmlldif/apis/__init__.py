from .face_detectors import (HaarFaceDetector, WholeImage,
                             build_face_detector)
from .inferencer import LLDifInferencer

__all__ = [
    'LLDifInferencer', 'HaarFaceDetector', 'WholeImage', 'build_face_detector'
]
