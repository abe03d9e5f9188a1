"""kx.ops.layer_norm against the formula in numpy, in every float dtype, with its
gradient against finite differences and its argument errors."""

import keras
import numpy as np
import pytest
from test_gradients import backend_gradients

from kx import ops as kops


def _reference(x, gamma, beta, epsilon):
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + epsilon) * gamma + beta


@pytest.mark.parametrize(
    "dtype,tol",
    [("float32", 1e-5), ("float64", 1e-12), ("float16", 2e-2), ("bfloat16", 5e-2)],
)
def test_values_in_every_dtype(dtype, tol):
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(3, 4, 6))
    gamma, beta = rng.normal(size=6), rng.normal(size=6)
    expected = _reference(x, gamma, beta, 1e-5)
    got = kops.layer_norm(
        *(keras.ops.convert_to_tensor(a, dtype) for a in (x, gamma, beta)), epsilon=1e-5
    )
    assert keras.backend.standardize_dtype(got.dtype) == dtype
    got = keras.ops.convert_to_numpy(keras.ops.cast(got, "float64"))
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    x, gamma, beta = rng.normal(size=(2, 5)), rng.normal(size=5), rng.normal(size=5)
    weights = [keras.ops.convert_to_tensor(rng.normal(size=(2, 5)), "float64")]
    tensors = [keras.ops.convert_to_tensor(a, "float64") for a in (x, gamma, beta)]
    got = backend_gradients(
        lambda *a: kops.layer_norm(*a, epsilon=1e-3), tensors, weights, "eager"
    )
    w, eps = keras.ops.convert_to_numpy(weights[0]), 1e-6
    for k, a in enumerate((x, gamma, beta)):
        numeric = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            args_up = [x.copy(), gamma.copy(), beta.copy()]
            args_down = [x.copy(), gamma.copy(), beta.copy()]
            args_up[k][i] += eps
            args_down[k][i] -= eps
            up = np.sum(_reference(*args_up, 1e-3) * w)
            down = np.sum(_reference(*args_down, 1e-3) * w)
            numeric[i] = (up - down) / (2 * eps)
        np.testing.assert_allclose(got[k], numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("epsilon", [0.0, -1e-3, True, "1e-3"])
def test_bad_epsilon(epsilon):
    ones = np.ones((2, 3), "float32")
    with pytest.raises(ValueError, match="layer_norm: `epsilon` must be"):
        kops.layer_norm(ones, ones[0], ones[0], epsilon=epsilon)
