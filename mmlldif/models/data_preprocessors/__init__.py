from .low_light_data_preprocessor import LowLightDataPreprocessor

__all__ = ['LowLightDataPreprocessor']
