"""jax: the page's keras.distribution script (docs/distributed.md) trains every family
data parallel on 4 virtual CPU devices and model parallel on a 2 x 2 mesh, with the
losses of one device; the weights and batches have the layouts asked for."""

import re

import keras
import numpy as np
import pytest
import snippets

script = snippets.script_for("jax", "keras.distribution")
import jax  # noqa: E402  (installed on its backend only)

DEVICES = 4


@pytest.fixture
def batches(monkeypatch):
    """The global batches that fit hands to the devices, as keras's jax trainer makes
    them (with jax.make_array_from_process_local_data)."""
    made = []
    make = jax.make_array_from_process_local_data

    def recording(sharding, local_data, *args, **kwargs):
        array = make(sharding, local_data, *args, **kwargs)
        made.append(array)
        return array

    monkeypatch.setattr(jax, "make_array_from_process_local_data", recording)
    return made


def test_four_virtual_devices():
    assert len(jax.devices()) == DEVICES
    assert len(keras.distribution.list_devices()) == DEVICES


def test_the_script_runs():
    script.main()


def assert_split_over_batch(array, replicas):
    """``array`` is split along its first axis into ``replicas`` parts, each on
    ``DEVICES // replicas`` devices, all 4 devices holding a part."""
    shards = array.addressable_shards
    assert len(shards) == DEVICES
    assert {shard.device for shard in shards} == set(jax.devices())
    rows = array.shape[0] // replicas
    assert {shard.data.shape for shard in shards} == {(rows, *array.shape[1:])}
    starts = sorted({shard.index[0].start or 0 for shard in shards})
    assert starts == list(range(0, array.shape[0], rows))


def check_losses(losses, one_device):
    assert len(losses) == 3
    assert one_device[-1] != one_device[0]  # the steps trained
    np.testing.assert_allclose(losses, one_device, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("family", snippets.FAMILY_NAMES)
def test_data_parallel_trains_as_one_device(family, batches):
    build, weights, x, y = snippets.problem(family)
    _, one_device = script.train(build, weights, x, y)
    assert not batches  # one device: nothing distributed
    distribution = script.data_parallel()
    model, losses = script.train(build, weights, x, y, distribution)
    check_losses(losses, one_device)

    # every weight, the optimizer's too, is replicated on the 4 devices
    for variable in [*model.variables, *model.optimizer.variables]:
        layout = distribution.get_variable_layout(variable)
        assert layout.axes == (None,) * len(variable.shape), variable.path
        sharding = variable.value.sharding
        assert sharding.is_fully_replicated, variable.path
        assert sharding.device_set == set(jax.devices()), variable.path

    # the batches are split over the 4 devices: those fit trained on (inputs and
    # targets, each step) and the layout the distribution gives a batch
    assert len(batches) >= 2 * 3  # inputs and targets of each step (and a look-ahead)
    for batch in batches:
        assert_split_over_batch(batch, DEVICES)
    layout = distribution.get_data_layout(x.shape)
    assert layout.axes == ("batch", *[None] * (x.ndim - 1))
    sharded = keras.distribution.distribute_tensor(x, layout)
    assert_split_over_batch(sharded, DEVICES)
    # and the model keeps the split: each device computes its quarter of the outputs
    assert_split_over_batch(model(sharded), DEVICES)


# the families with a kernel that the script's SHARDED layouts name
@pytest.mark.parametrize("family", ["neural-operator", "vit"])
def test_model_parallel_trains_as_one_device(family, batches):
    build, weights, x, y = snippets.problem(family)
    _, one_device = script.train(build, weights, x, y)
    distribution = script.model_parallel()
    model, losses = script.train(build, weights, x, y, distribution)
    check_losses(losses, one_device)

    mesh = distribution.device_mesh
    assert dict(zip(mesh.axis_names, mesh.shape)) == {"batch": 2, "model": 2}
    expected = {
        variable.path: axes
        for variable in model.variables
        for pattern, axes in script.SHARDED.items()
        if re.fullmatch(pattern, variable.path)
    }
    assert expected, "no kernel of the model matches SHARDED"
    for variable in model.variables:
        sharding = variable.value.sharding
        if variable.path not in expected:
            assert sharding.is_fully_replicated, variable.path
            continue
        axes = expected[variable.path]
        assert tuple(sharding.spec) == axes, variable.path
        # the kernel is really split: each device holds half of the "model" axis
        halved = tuple(
            n // 2 if axis == "model" else n
            for n, axis in zip(variable.shape, axes)
        )  # fmt: skip
        assert {s.data.shape for s in variable.value.addressable_shards} == {halved}

    # the batches are split over the "batch" axis: in halves, each on 2 devices
    assert len(batches) >= 2 * 3  # inputs and targets of each step (and a look-ahead)
    for batch in batches:
        assert_split_over_batch(batch, 2)
