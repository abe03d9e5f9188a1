"""tensorflow: the page's tf.distribute script (docs/distributed.md) trains every
family under MirroredStrategy on 2 logical CPU devices, with the losses of one
device; the weights are mirrored on both devices and each batch split in two."""

import numpy as np
import pytest
import snippets

script = snippets.script_for("tensorflow", "tf.distribute")
import tensorflow as tf  # noqa: E402  (installed on its backend only)

DEVICES = ["/job:localhost/replica:0/task:0/device:CPU:0",
           "/job:localhost/replica:0/task:0/device:CPU:1"]  # fmt: skip


@pytest.fixture(scope="module")
def strategy():
    return script.mirrored()


def test_two_logical_devices(strategy):
    logical = [d.name for d in tf.config.list_logical_devices("CPU")]
    assert logical == ["/device:CPU:0", "/device:CPU:1"]
    assert strategy.num_replicas_in_sync == 2


def test_the_script_runs():
    script.main()


@pytest.mark.parametrize("family", snippets.FAMILY_NAMES)
def test_mirrored_trains_as_one_device(family, strategy):
    build, weights, x, y = snippets.problem(family)
    _, one_device = script.train(build, weights, x, y)
    model, losses = script.train(build, weights, x, y, strategy)
    assert len(losses) == 3
    assert one_device[-1] != one_device[0]  # the steps trained
    np.testing.assert_allclose(losses, one_device, rtol=1e-4, atol=1e-7)

    # every weight is a mirrored variable: one equal copy on each device
    for variable in model.variables:
        value = variable.value
        assert isinstance(value, tf.distribute.DistributedValues), variable.path
        copies = strategy.experimental_local_results(value)
        assert [c.device for c in copies] == DEVICES, variable.path
        np.testing.assert_array_equal(copies[0].numpy(), copies[1].numpy())

    # a batch of 8 goes to the replicas as two of 4
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(len(x))
    inputs, targets = next(iter(strategy.experimental_distribute_dataset(dataset)))
    for part in (inputs, targets):
        shares = strategy.experimental_local_results(part)
        assert [s.shape[0] for s in shares] == [len(x) // 2] * 2
        assert [s.device for s in shares] == DEVICES
