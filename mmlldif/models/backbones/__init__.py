from .llformer import LLformer

__all__ = ['LLformer']
