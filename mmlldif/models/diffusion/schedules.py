import torch


def sqrt_linear_betas(num_steps: int, beta_start: float = 0.1,
                      beta_end: float = 0.99) -> torch.Tensor:
    """DiffIR's "linear" schedule: linear in sqrt(beta).

    ``betas = linspace(sqrt(beta_start), sqrt(beta_end), T) ** 2``; for
    T = 4 that is about (0.100, 0.294, 0.591, 0.990).

    Args:
        num_steps (int): T.
        beta_start (float): First beta. Defaults to 0.1.
        beta_end (float): Last beta. Defaults to 0.99.

    Returns:
        Tensor: (T, ) float64 betas.
    """
    if num_steps < 1:
        raise ValueError(f'num_steps must be >= 1, got {num_steps}.')
    if num_steps == 1:
        return torch.tensor([beta_end], dtype=torch.float64)
    return torch.linspace(
        beta_start**0.5, beta_end**0.5, num_steps, dtype=torch.float64)**2
