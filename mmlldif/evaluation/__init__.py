from .classification import (classification_figures, confusion_matrix,
                             logit_average, plot_confusion, predict_scores,
                             predict_split)
from .darkness_sweep import darkness_sweep, plot_darkness_sweep
from .loaders import build_test_loader, darkened_pipeline
from .prior_swap import PRIOR_MODES, prior_ablation, swapped_priors

__all__ = [
    'classification_figures', 'confusion_matrix', 'logit_average',
    'plot_confusion', 'predict_scores', 'predict_split', 'darkness_sweep',
    'plot_darkness_sweep', 'build_test_loader', 'darkened_pipeline',
    'PRIOR_MODES', 'prior_ablation', 'swapped_priors'
]
