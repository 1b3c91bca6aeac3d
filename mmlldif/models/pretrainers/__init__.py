from .la_clip_pretrainer import LACLIPPretrainer

__all__ = ['LACLIPPretrainer']
