from .classification import (classification_figures, confusion_matrix,
                             logit_average, plot_confusion, predict_scores,
                             predict_split)
from .corruption_suite import (corruption_suite, plot_corruption_suite,
                               read_suite_csv, suite_cells, suite_summary)
from .darkness_sweep import darkness_sweep, plot_darkness_sweep
from .loaders import (build_test_loader, corrupted_pipeline,
                      darkened_pipeline)
from .prior_swap import PRIOR_MODES, prior_ablation, swapped_priors
from .reports import write_csv

__all__ = [
    'classification_figures', 'confusion_matrix', 'logit_average',
    'plot_confusion', 'predict_scores', 'predict_split', 'darkness_sweep',
    'plot_darkness_sweep', 'build_test_loader', 'darkened_pipeline',
    'corrupted_pipeline', 'corruption_suite', 'plot_corruption_suite',
    'read_suite_csv', 'suite_cells', 'suite_summary', 'write_csv',
    'PRIOR_MODES', 'prior_ablation', 'swapped_priors'
]
