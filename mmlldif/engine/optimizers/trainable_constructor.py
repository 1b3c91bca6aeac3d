from typing import List, Optional

import torch.nn as nn
from mmengine.optim import DefaultOptimWrapperConstructor

from mmlldif.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class TrainableOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """mmengine's default constructor (``paramwise_cfg`` and all) that
    leaves frozen submodules out without a word.

    The default one warns once per frozen parameter ("... is skipped since
    its requires_grad=False"): about 130 lines for LLDif's frozen LA-CLIP
    teacher at every start. Here a submodule with no trainable parameter
    is skipped whole; the optimizer gets the same parameters, in the same
    order and groups, as with the default constructor.
    """

    def add_params(self,
                   params: List[dict],
                   module: nn.Module,
                   prefix: str = '',
                   is_dcn_module: Optional[int] = None) -> None:
        if not any(p.requires_grad for p in module.parameters()):
            return
        super().add_params(params, module, prefix, is_dcn_module)
