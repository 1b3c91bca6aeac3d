from .loading import ImageReadError, LoadFERImage, read_image, to_bgr_uint8
from .low_light import (LOW_LIGHT_PROTOCOLS, LowLight, darken,
                        training_protocol, without_low_light)

__all__ = [
    'LoadFERImage', 'LowLight', 'LOW_LIGHT_PROTOCOLS', 'darken',
    'without_low_light', 'training_protocol', 'ImageReadError', 'read_image',
    'to_bgr_uint8'
]
