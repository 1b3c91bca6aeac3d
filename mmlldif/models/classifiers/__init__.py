from .la_clip_distilled import LACLIPDistilledClassifier
from .lldif_stage1 import LLDifStage1
from .lldif_stage2 import LLDifStage2, Stage1CheckpointError
from .prior_guided import PriorGuidedClassifier

__all__ = [
    'PriorGuidedClassifier', 'LLDifStage1', 'LLDifStage2',
    'Stage1CheckpointError', 'LACLIPDistilledClassifier'
]
