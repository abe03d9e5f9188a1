"""A model of every family, saved on any backend, loads on this one and gives the
same outputs (fixtures from portability.py)."""

import keras
import numpy as np
import pytest
from portability import FAMILIES, fixture, sample_inputs

BACKENDS = ("jax", "tensorflow", "torch")


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("saved_on", BACKENDS)
def test_model_saved_on_one_backend_loads_on_this_one(saved_on, family):
    path = fixture(family, saved_on)
    assert path.with_suffix(".keras").exists(), (
        f"missing fixture {path}.keras: run portability.py on {saved_on}"
    )
    expected = np.load(path.with_suffix(".npz"))
    np.testing.assert_array_equal(expected["x"], sample_inputs(family))
    model = keras.saving.load_model(path.with_suffix(".keras"))
    # eager calls (a predict compiles a program per model on jax: CI time)
    got = keras.ops.convert_to_numpy(model(expected["x"]))
    np.testing.assert_allclose(got, expected["y"], rtol=1e-4, atol=1e-5)
    # Resolution independence survives the trip: a larger input runs.
    larger = FAMILIES[family][2]
    assert tuple(model(np.zeros(larger, "float32")).shape)[0] == larger[0]
