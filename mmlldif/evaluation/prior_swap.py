"""How much a trained LLDif model relies on its prior: test it with the
prior swapped."""
import torch

from mmlldif.models import LLDifStage2
from .classification import classification_figures

# predicted: Z_hat from the image (stage 2; what LLDif does at inference);
# teacher: the stage-1 Z of (image, true label), an oracle; none: the
# backbone unmodulated; shuffled: the Z of another image of the batch;
# training: Z_hat as stage-2 training makes it (the diffusion's forward
# pass from the teacher's Z): far above ``predicted``, training saw a prior
# that inference cannot give
PRIOR_MODES = ('predicted', 'teacher', 'none', 'shuffled', 'training')


def swapped_priors(model, inputs: torch.Tensor, data_samples) -> dict:
    """The batch's Z under each mode the model supports, (B, prior_dim);
    ``None`` for ``none``. ``shuffled`` rolls the model's own prior (Z_hat
    in stage 2, the teacher's Z in stage 1) by one image."""
    teacher = model.label_prior(inputs, data_samples)
    out = dict(teacher=teacher, none=None)
    own = teacher
    if isinstance(model, LLDifStage2):
        own = out['predicted'] = model.prior(inputs)
        out['training'] = model.diffusion.forward_train(
            teacher, model.condition(inputs))
    out['shuffled'] = own.roll(1, dims=0)
    return out


@torch.no_grad()
def prior_ablation(model, loader) -> dict:
    """Accuracy and mean class accuracy (%) per prior mode; for stage 2
    also the mean cosine of Z_hat to the teacher's Z and the spread of
    Z_hat over the faces (mean std per value) relative to the teacher's
    (near 0: the same prior for every face).

    Args:
        model: A trained ``LLDifStage1`` or ``LLDifStage2`` with its
            teacher's weights.
        loader: Labelled batches, best shuffled (see ``shuffled``).
    """
    preds, labels, pairs = {}, [], []
    torch.manual_seed(0)  # the noise of the ``training`` path
    for data in loader:
        data = model.data_preprocessor(data, False)
        inputs, samples = data['inputs'], data['data_samples']
        labels.append(torch.cat([s.gt_label for s in samples]))
        batch = swapped_priors(model, inputs, samples)
        for mode, prior in batch.items():
            feats = model.extract_feat(inputs, prior)
            preds.setdefault(mode, []).append(model.head(feats).argmax(1))
        if 'predicted' in batch:
            pairs.append((batch['predicted'], batch['teacher']))
    labels = torch.cat(labels).numpy()
    figures = {}
    for mode in (m for m in PRIOR_MODES if m in preds):
        figures[mode] = classification_figures(
            torch.cat(preds[mode]).numpy(), labels)
        del figures[mode]['images']
    if pairs:
        predicted, teacher = (torch.cat(z) for z in zip(*pairs))
        figures['predicted'].update(
            cosine_to_teacher=float(
                torch.cosine_similarity(predicted, teacher, dim=1).mean()),
            relative_spread=float(
                predicted.std(0).mean() / teacher.std(0).mean()))
    return figures
