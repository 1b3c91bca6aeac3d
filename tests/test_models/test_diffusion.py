import pytest
import torch

from mmlldif.models import DiffusionPriorHead, sqrt_linear_betas


def test_beta_schedule_values():
    betas = sqrt_linear_betas(4, 0.1, 0.99)
    expected = torch.tensor([0.1, 0.29428, 0.59098, 0.99], dtype=torch.float64)
    assert torch.allclose(betas, expected, atol=1e-4)
    assert sqrt_linear_betas(1).tolist() == [0.99]
    with pytest.raises(ValueError):
        sqrt_linear_betas(0)


def test_posterior_mean_matches_ddpm_for_adjacent_steps():
    head = DiffusionPriorHead(prior_dim=8, num_timesteps=4)
    x0, xt = torch.randn(2, 8), torch.randn(2, 8)
    betas = sqrt_linear_betas(4, 0.1, 0.99)  # the head's defaults
    abar = torch.cumprod(1 - betas, dim=0)
    t = 2
    coef_x0 = abar[t - 1].sqrt() * betas[t] / (1 - abar[t])
    coef_xt = (1 - betas[t]).sqrt() * (1 - abar[t - 1]) / (1 - abar[t])
    assert torch.allclose(
        head.posterior_mean(x0, xt, t, t - 1), coef_x0 * x0 + coef_xt * xt)
    assert torch.equal(head.posterior_mean(x0, xt, 0, -1), x0)


def test_inference_timesteps():
    head = DiffusionPriorHead(prior_dim=8, num_timesteps=4)
    assert head.inference_timesteps() == [3, 2, 1, 0]
    head.num_inference_steps = 2
    assert head.inference_timesteps() == [3, 0]
    head.num_inference_steps = 1
    assert head.inference_timesteps() == [3]
    head.num_inference_steps = 8
    with pytest.raises(ValueError, match='num_inference_steps=8'):
        head.inference_timesteps()


def test_training_runs_all_steps_with_gradients():
    head = DiffusionPriorHead(prior_dim=8, num_timesteps=4, hidden_dim=16)
    calls = []
    head.denoiser.register_forward_hook(lambda *a: calls.append(1))
    cond = torch.randn(3, 8, requires_grad=True)
    out = head.forward_train(torch.randn(3, 8), cond)
    assert out.shape == (3, 8) and len(calls) == 4
    out.sum().backward()
    assert cond.grad is not None and cond.grad.abs().sum() > 0


def test_training_from_noise_leaves_no_trace_of_the_target():
    """DiffIR's x_T keeps sqrt(abar_T) of the target; from noise it keeps
    none, so the chain's output cannot depend on the target at all."""
    cond, target = torch.randn(3, 8), torch.randn(3, 8)
    outputs = {}
    for from_noise in (False, True):
        head = DiffusionPriorHead(
            prior_dim=8, hidden_dim=16, train_from_noise=from_noise)
        head.load_state_dict(DiffusionPriorHead(
            prior_dim=8, hidden_dim=16).state_dict())
        torch.manual_seed(0)
        near = head.forward_train(target, cond)
        torch.manual_seed(0)
        far = head.forward_train(target * 100, cond)
        outputs[from_noise] = (near - far).abs().max().item()
    assert outputs[True] == 0 and outputs[False] > 0


def test_sampling_is_seeded_and_batch_independent():
    head = DiffusionPriorHead(prior_dim=8, hidden_dim=16).eval()
    cond = torch.randn(5, 8)
    with torch.no_grad():
        full = head.sample(cond)
        assert torch.equal(full, head.sample(cond))
        assert torch.allclose(head.sample(cond[2:3]), full[2:3], atol=1e-6)
    other = DiffusionPriorHead(prior_dim=8, hidden_dim=16, seed=1)
    assert not torch.equal(other.start_noise, head.start_noise)


def test_direct_prior_head_maps_the_condition_alone():
    from mmlldif.models import DirectPriorHead
    head = DirectPriorHead(prior_dim=8, hidden_dim=16)
    cond, target = torch.randn(3, 8), torch.randn(3, 8)
    # the target does not enter: the same Z_hat in training and inference
    assert torch.equal(head.forward_train(target, cond), head.sample(cond))
    assert torch.equal(
        head.forward_train(torch.zeros(3, 8), cond), head(cond))
    assert not torch.allclose(head.sample(cond)[0], head.sample(cond)[1])
