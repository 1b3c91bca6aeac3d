"""mmlldif provides 22 registry nodes to support using modules across projects.

Each node is a child of the root registry in mmpretrain, so that under
``default_scope='mmlldif'`` every mmpretrain component (``ImageClassifier``,
``LinearClsHead``, ``PackInputs``, ``Accuracy``...) resolves unprefixed, and
an mmpretrain config reaches mmlldif components as ``mmlldif.LLformer``.

More details can be found at
https://mmengine.readthedocs.io/en/latest/advanced_tutorials/registry.html.
"""
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import Registry
from mmpretrain.registry import BATCH_AUGMENTS as MMPRE_BATCH_AUGMENTS
from mmpretrain.registry import DATA_SAMPLERS as MMPRE_DATA_SAMPLERS
from mmpretrain.registry import DATASETS as MMPRE_DATASETS
from mmpretrain.registry import EVALUATORS as MMPRE_EVALUATORS
from mmpretrain.registry import HOOKS as MMPRE_HOOKS
from mmpretrain.registry import LOG_PROCESSORS as MMPRE_LOG_PROCESSORS
from mmpretrain.registry import LOOPS as MMPRE_LOOPS
from mmpretrain.registry import METRICS as MMPRE_METRICS
from mmpretrain.registry import MODEL_WRAPPERS as MMPRE_MODEL_WRAPPERS
from mmpretrain.registry import MODELS as MMPRE_MODELS
from mmpretrain.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMPRE_OPTIM_WRAPPER_CONSTRUCTORS
from mmpretrain.registry import OPTIM_WRAPPERS as MMPRE_OPTIM_WRAPPERS
from mmpretrain.registry import OPTIMIZERS as MMPRE_OPTIMIZERS
from mmpretrain.registry import PARAM_SCHEDULERS as MMPRE_PARAM_SCHEDULERS
from mmpretrain.registry import \
    RUNNER_CONSTRUCTORS as MMPRE_RUNNER_CONSTRUCTORS
from mmpretrain.registry import RUNNERS as MMPRE_RUNNERS
from mmpretrain.registry import TASK_UTILS as MMPRE_TASK_UTILS
from mmpretrain.registry import TRANSFORMS as MMPRE_TRANSFORMS
from mmpretrain.registry import VISBACKENDS as MMPRE_VISBACKENDS
from mmpretrain.registry import VISUALIZERS as MMPRE_VISUALIZERS
from mmpretrain.registry import \
    WEIGHT_INITIALIZERS as MMPRE_WEIGHT_INITIALIZERS

__all__ = [
    'RUNNERS', 'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS',
    'OPTIMIZERS', 'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'PARAM_SCHEDULERS', 'DATASETS', 'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS',
    'MODEL_WRAPPERS', 'WEIGHT_INITIALIZERS', 'BATCH_AUGMENTS', 'TASK_UTILS',
    'METRICS', 'EVALUATORS', 'VISUALIZERS', 'VISBACKENDS', 'FUNCTIONS'
]


# mmlldif subpackages that register components of their own.
_OWN_PACKAGES = ('engine', 'datasets', 'models')


def _child(name, parent, package):
    """A registry node of scope ``mmlldif`` below mmpretrain's ``parent``.

    ``locations`` lists the mmpretrain subpackage first, so parents are
    populated before mmlldif's own modules are imported lazily.
    """
    locations = [f'mmpretrain.{package}']
    if package in _OWN_PACKAGES:
        locations.append(f'mmlldif.{package}')
    return Registry(
        name, parent=parent, scope='mmlldif', locations=locations)


#######################################################################
#                            mmlldif.engine                           #
#######################################################################

# Runners like `EpochBasedRunner`.
RUNNERS = _child('runner', MMPRE_RUNNERS, 'engine')
# Runner constructors that define how to initialize runners.
RUNNER_CONSTRUCTORS = _child('runner constructor', MMPRE_RUNNER_CONSTRUCTORS,
                             'engine')
# Loops which define the training or test process, like `EpochBasedTrainLoop`
LOOPS = _child('loop', MMPRE_LOOPS, 'engine')
# Hooks to add additional functions during running, like `CheckpointHook`
HOOKS = _child('hook', MMPRE_HOOKS, 'engine')
# Log processors to process the scalar log data.
LOG_PROCESSORS = _child('log processor', MMPRE_LOG_PROCESSORS, 'engine')
# Optimizers to optimize the model weights, like `SGD` and `Adam`.
OPTIMIZERS = _child('optimizer', MMPRE_OPTIMIZERS, 'engine')
# Optimizer wrappers to enhance the optimization process.
OPTIM_WRAPPERS = _child('optimizer_wrapper', MMPRE_OPTIM_WRAPPERS, 'engine')
# Optimizer constructors to customize the hyperparameters of optimizers.
OPTIM_WRAPPER_CONSTRUCTORS = _child('optimizer wrapper constructor',
                                    MMPRE_OPTIM_WRAPPER_CONSTRUCTORS, 'engine')
# Parameter schedulers to dynamically adjust optimization parameters.
PARAM_SCHEDULERS = _child('parameter scheduler', MMPRE_PARAM_SCHEDULERS,
                          'engine')

#######################################################################
#                           mmlldif.datasets                          #
#######################################################################

# Datasets like the LL-FER datasets.
DATASETS = _child('dataset', MMPRE_DATASETS, 'datasets')
# Samplers to sample the dataset.
DATA_SAMPLERS = _child('data sampler', MMPRE_DATA_SAMPLERS, 'datasets')
# Transforms to process the samples from the dataset, like `LowLight`.
TRANSFORMS = _child('transform', MMPRE_TRANSFORMS, 'datasets')
# Functions of dataloaders, like `seed_worker_per_epoch` (mmpretrain has no
# node of its own: the parent is mmengine's root).
FUNCTIONS = Registry(
    'function',
    parent=MMENGINE_FUNCTIONS,
    scope='mmlldif',
    locations=['mmlldif.datasets'])

#######################################################################
#                            mmlldif.models                           #
#######################################################################

# Neural network modules: backbones, priors, diffusion heads, classifiers.
MODELS = _child('model', MMPRE_MODELS, 'models')
# Model wrappers like 'MMDistributedDataParallel'
MODEL_WRAPPERS = _child('model_wrapper', MMPRE_MODEL_WRAPPERS, 'models')
# Weight initialization methods like uniform, xavier.
WEIGHT_INITIALIZERS = _child('weight initializer', MMPRE_WEIGHT_INITIALIZERS,
                             'models')
# Batch augmentations like `Mixup` and `CutMix`.
BATCH_AUGMENTS = _child('batch augment', MMPRE_BATCH_AUGMENTS, 'models')
# Task-specific modules like anchor generators and box coders
TASK_UTILS = _child('task util', MMPRE_TASK_UTILS, 'models')

#######################################################################
#                          mmlldif.evaluation                         #
#######################################################################

# Metrics to evaluate the model prediction results.
METRICS = _child('metric', MMPRE_METRICS, 'evaluation')
# Evaluators to define the evaluation process.
EVALUATORS = _child('evaluator', MMPRE_EVALUATORS, 'evaluation')

#######################################################################
#                        mmlldif.visualization                        #
#######################################################################

# Visualizers to display task-specific results.
VISUALIZERS = _child('visualizer', MMPRE_VISUALIZERS, 'visualization')
# Backends to save the visualization results, like TensorBoard, WandB.
VISBACKENDS = _child('vis_backend', MMPRE_VISBACKENDS, 'visualization')
