"""torch: the page's DistributedDataParallel script (docs/distributed.md) trains every
family in 2 spawned processes over gloo, each on half of the batch, with the losses of
one process training on the whole batch."""

import numpy as np
import pytest
import snippets

script = snippets.script_for("torch", "torch.distributed")
import torch  # noqa: E402  (installed on its backend only)


def test_gloo_is_available():
    assert torch.distributed.is_available()
    assert torch.distributed.is_gloo_available()


def test_the_script_runs():
    script.main()


def test_processes_past_the_deadline_are_stopped():
    """train_ddp's deadline: processes still running at ``timeout`` are killed and a
    TimeoutError raised, instead of a wait without end (spawned processes take
    seconds to import torch, so 0.5 s always passes first)."""
    build, weights, x, y = snippets.problem("neural-operator")
    with pytest.raises(TimeoutError, match="did not finish in 0.5 s"):
        script.train_ddp(build, weights, x, y, timeout=0.5)


@pytest.mark.parametrize("family", snippets.FAMILY_NAMES)
def test_ddp_trains_as_one_process(family):
    build, weights, x, y = snippets.problem(family)
    model = build()
    model(x[:1])
    model.set_weights(weights)
    # a keras model on the torch backend is a torch module: its parameters are the
    # keras weights, which DDP broadcasts and whose gradients it averages
    assert isinstance(model, torch.nn.Module)
    assert sum(p.numel() for p in model.parameters() if p.requires_grad) == sum(
        int(np.prod(w.shape)) for w in model.trainable_weights
    )
    one_process = script.train(model, x, y)
    losses = script.train_ddp(build, weights, x, y)
    assert len(losses) == 3
    assert one_process[-1] != one_process[0]  # the steps trained
    np.testing.assert_allclose(losses, one_process, rtol=1e-4, atol=1e-7)
