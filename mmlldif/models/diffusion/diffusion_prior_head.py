from typing import List, Optional

import torch
from mmengine.model import BaseModule

from mmlldif.registry import MODELS
from ..utils import mlp
from .schedules import sqrt_linear_betas


@MODELS.register_module()
class DiffusionPriorHead(BaseModule):
    """A small DDPM over the prior vector Z, conditioned on ``c``.

    The denoiser is an MLP on ``concat(c, t / T, x_t)`` predicting ``x0``
    (x0-parameterisation). Reverse steps are deterministic: the posterior
    mean of ``q(x_s | x_t, x0_hat)``, no added noise.

    Training (:meth:`forward_train`, as in DiffIR) diffuses the target Z to
    ``x_T`` and runs all T reverse steps with gradients; the result drives
    the backbone in the same forward pass. DiffIR's ``x_T`` keeps
    ``sqrt(abar_T)`` of Z (5% at T = 4), a trace of the label that inference
    never has; ``train_from_noise=True`` starts training's chain from pure
    ``N(0, I)`` as inference does. Inference (:meth:`sample`) starts
    from one fixed draw of ``N(0, I)`` (``seed``), so a prediction depends
    on its image only: not on the batch, its size, or the call order.

    ``num_inference_steps`` < T skips steps (timesteps evenly spaced over
    the trained ones, the posterior taken between non-adjacent steps), which
    trades accuracy for speed without retraining.

    Args:
        prior_dim (int): Length of Z and of ``c``. Defaults to 256.
        num_timesteps (int): T. Defaults to 4.
        beta_start (float): Defaults to 0.1.
        beta_end (float): Defaults to 0.99.
        hidden_dim (int): Denoiser width. Defaults to 4 * prior_dim.
        num_layers (int): Denoiser linear layers. Defaults to 5.
        num_inference_steps (int, optional): Steps at inference, at most T.
            Defaults to None (T).
        seed (int): Seed of the inference start noise. Defaults to 0.
        train_from_noise (bool): Start training's reverse chain from
            ``N(0, I)`` instead of the diffused target. Defaults to False.
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 prior_dim: int = 256,
                 num_timesteps: int = 4,
                 beta_start: float = 0.1,
                 beta_end: float = 0.99,
                 hidden_dim: Optional[int] = None,
                 num_layers: int = 5,
                 num_inference_steps: Optional[int] = None,
                 seed: int = 0,
                 train_from_noise: bool = False,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.prior_dim = prior_dim
        self.num_timesteps = num_timesteps
        self.num_inference_steps = num_inference_steps
        self.seed = seed
        self.train_from_noise = train_from_noise
        self.denoiser = mlp(2 * prior_dim + 1, hidden_dim or 4 * prior_dim,
                            prior_dim, num_layers)

        betas = sqrt_linear_betas(num_timesteps, beta_start, beta_end)
        # Python floats: the reverse chain's coefficients then cost no
        # tensor operations (a tenth of its time at batch 1)
        self.alphas_cumprod = torch.cumprod(1.0 - betas, dim=0).tolist()
        noise = torch.randn(
            prior_dim, generator=torch.Generator().manual_seed(seed))
        self.register_buffer('start_noise', noise, persistent=False)

    def inference_timesteps(self) -> List[int]:
        """Timesteps visited at inference, from T - 1 down."""
        steps = self.num_inference_steps or self.num_timesteps
        if not 1 <= steps <= self.num_timesteps:
            raise ValueError(
                f'DiffusionPriorHead: num_inference_steps={steps} must be in '
                f'1..num_timesteps ({self.num_timesteps}), the steps it was '
                'trained with.')
        grid = torch.linspace(self.num_timesteps - 1, 0, steps)
        return [int(t) for t in grid.round().long().unique_consecutive()]

    def denoise(self, x_t: torch.Tensor, t: int,
                cond: torch.Tensor) -> torch.Tensor:
        """Predict x0 from x_t, (B, prior_dim)."""
        t_in = x_t.new_full((x_t.shape[0], 1), t / self.num_timesteps)
        return self.denoiser(torch.cat([cond, t_in, x_t], dim=1))

    def posterior_mean(self, x0: torch.Tensor, x_t: torch.Tensor, t: int,
                       s: int) -> torch.Tensor:
        """Mean of q(x_s | x_t, x0) for s < t (s = -1 gives x0)."""
        if s < 0:
            return x0
        abar_t, abar_s = self.alphas_cumprod[t], self.alphas_cumprod[s]
        alpha_ts = abar_t / abar_s
        coef_x0 = abar_s**0.5 * (1 - alpha_ts) / (1 - abar_t)
        coef_xt = alpha_ts**0.5 * (1 - abar_s) / (1 - abar_t)
        return torch.add(coef_x0 * x0, x_t, alpha=coef_xt)

    def reverse(self, x: torch.Tensor, cond: torch.Tensor,
                timesteps: List[int]) -> torch.Tensor:
        """Run the reverse chain over ``timesteps`` (descending)."""
        for i, t in enumerate(timesteps):
            s = timesteps[i + 1] if i + 1 < len(timesteps) else -1
            x = self.posterior_mean(self.denoise(x, t, cond), x, t, s)
        return x

    def forward_train(self, prior: torch.Tensor,
                      cond: torch.Tensor) -> torch.Tensor:
        """Diffuse the target prior to x_T and denoise it back, with grads.

        Args:
            prior (Tensor): Target Z from the stage-1 network,
                (B, prior_dim).
            cond (Tensor): ``c`` from the condition network, (B, prior_dim).

        Returns:
            Tensor: Predicted Z, (B, prior_dim).
        """
        t_last = self.num_timesteps - 1
        abar = 0.0 if self.train_from_noise else self.alphas_cumprod[t_last]
        x = abar**0.5 * prior + (1 - abar)**0.5 * torch.randn_like(prior)
        return self.reverse(x, cond, list(range(t_last, -1, -1)))

    def sample(self, cond: torch.Tensor) -> torch.Tensor:
        """Predict Z from ``c`` alone, (B, prior_dim) -> (B, prior_dim)."""
        x = self.start_noise.to(cond.dtype).expand_as(cond)
        return self.reverse(x, cond, self.inference_timesteps())

    def forward(self, cond: torch.Tensor) -> torch.Tensor:
        return self.sample(cond)
