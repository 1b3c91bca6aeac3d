"""The distillation control: a classifier taught by a pretrained LA-CLIP."""
import pytest
import torch
from mmpretrain.structures import DataSample

from fixtures import TINY_CLIP
from mmlldif.registry import MODELS
from mmlldif.utils import CheckpointMismatchError, check_state_dict

CLASSES = ('a', 'b', 'c')


@pytest.fixture
def student(tmp_path):
    torch.manual_seed(0)
    teacher = MODELS.build(
        dict(type='LACLIP', class_names=CLASSES, clip_cfg=TINY_CLIP))
    path = str(tmp_path / 'laclip.pth')
    torch.save(dict(state_dict=teacher.state_dict()), path)
    model = MODELS.build(
        dict(
            type='LACLIPDistilledClassifier',
            teacher=dict(
                type='LACLIP',
                class_names=CLASSES,
                clip_cfg=TINY_CLIP,
                pretrained=path,
                frozen=False),  # frozen whatever the config says
            backbone=dict(type='LLformer', arch='tiny', prior_dim=None),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=3, in_channels=64),
            tau=2.0))
    model.init_weights()  # as the runner does before training
    return model, teacher


def test_distillation_loss_trains_the_student_only(student):
    model, teacher = student
    images = torch.randn(4, 3, 32, 32)
    samples = [DataSample().set_gt_label(i % 3) for i in range(4)]
    losses = model(images, samples, mode='loss')
    assert set(losses) == {'loss', 'loss_kd'}
    # the teacher's term: KL to the teacher's prompt distribution, tau^2
    with torch.no_grad():
        t = (teacher.prompt_logits(images) / 2.0).softmax(1)
        s = (model(images) / 2.0).log_softmax(1)
    expected = 4.0 * (t * (t.log() - s)).sum(1).mean()
    assert torch.allclose(losses['loss_kd'], expected, atol=1e-5)
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert model.backbone.stem.weight.grad.abs().sum() > 0


def test_inference_file_needs_no_teacher(student):
    model, _ = student
    state = {
        k: v
        for k, v in model.state_dict().items() if not k.startswith('teacher.')
    }
    check_state_dict(model, state, 'student.pth', inference_only=True)
    with pytest.raises(CheckpointMismatchError):
        check_state_dict(model, state, 'student.pth')
