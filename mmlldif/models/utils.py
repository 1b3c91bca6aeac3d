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
