"""A model saved on any backend loads on this one and gives the same outputs."""

import keras
import numpy as np
import pytest
from portability import DATA, sample_inputs

BACKENDS = ("jax", "tensorflow", "torch")


@pytest.mark.parametrize("saved_on", BACKENDS)
def test_model_saved_on_one_backend_loads_on_this_one(saved_on):
    path = DATA / f"portable-{saved_on}.keras"
    assert path.exists(), f"missing fixture {path}: run portability.py on {saved_on}"
    expected = np.load(DATA / f"portable-{saved_on}.npz")
    np.testing.assert_array_equal(expected["x"], sample_inputs())
    model = keras.saving.load_model(path)
    got = model.predict(expected["x"], verbose=0)
    np.testing.assert_allclose(got, expected["y"], rtol=1e-4, atol=1e-5)
    # Resolution independence survives the trip: a longer sequence runs.
    longer = np.concatenate([expected["x"], expected["x"]], axis=1)
    assert model.predict(longer, verbose=0).shape == (2, 32, 10)
