from .inferencer import LLDifInferencer

__all__ = ['LLDifInferencer']
