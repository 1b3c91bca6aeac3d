from mmlldif.setup_env import quiet_mmcv_lite

with quiet_mmcv_lite():
    from .backbones import *  # noqa: F401,F403
    from .classifiers import *  # noqa: F401,F403
    from .data_preprocessors import *  # noqa: F401,F403
    from .diffusion import *  # noqa: F401,F403
    from .losses import *  # noqa: F401,F403
    from .pretrainers import *  # noqa: F401,F403
    from .priors import *  # noqa: F401,F403
