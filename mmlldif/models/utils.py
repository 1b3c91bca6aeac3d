import torch.nn as nn


def mlp(in_dim: int, hidden_dim: int, out_dim: int,
        num_layers: int) -> nn.Sequential:
    """Linear + LeakyReLU(0.1) layers, the last one linear only."""
    layers, dim = [], in_dim
    for _ in range(num_layers - 1):
        layers += [nn.Linear(dim, hidden_dim), nn.LeakyReLU(0.1, True)]
        dim = hidden_dim
    layers.append(nn.Linear(dim, out_dim))
    return nn.Sequential(*layers)


def drop_training_only(model: nn.Module) -> None:
    """Remove the submodules and weights named by ``model.TRAINING_ONLY``
    (dotted names, e.g. ``'prior_net'``, ``'la_clip.clip.transformer'``):
    a model built only to predict then has exactly the weights of an
    inference-only release, so loading one reports no missing keys."""
    for name in model.TRAINING_ONLY:
        parent, _, attr = name.rpartition('.')
        owner = model.get_submodule(parent) if parent else model
        if hasattr(owner, attr):
            delattr(owner, attr)
