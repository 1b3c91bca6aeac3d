from .face_detectors import (HaarFaceDetector, WholeImage,
                             build_face_detector)
from .inferencer import LLDifInferencer
from .model import init_model, init_models
from .model_zoo import (ReleaseFileError, get_model, list_models,
                        register_model_index)

__all__ = [
    'LLDifInferencer', 'init_model', 'init_models', 'get_model', 'list_models',
    'ReleaseFileError', 'register_model_index', 'HaarFaceDetector',
    'WholeImage', 'build_face_detector'
]
