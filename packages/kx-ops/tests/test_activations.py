"""kx.ops.gelu against the Gaussian CDF written out in numpy, its gradient against
finite differences, and fast_activation's substitution rule."""

import math

import keras
import numpy as np
import pytest

from kx import ops as kops


def reference_gelu(x):
    # x * Phi(x), Phi the standard normal CDF (math.erfc: accurate in both tails)
    phi = np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in x.ravel()])
    return x * phi.reshape(x.shape)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gelu_is_x_times_the_normal_cdf(dtype):
    x = np.concatenate([np.linspace(-8.0, 8.0, 161), [-30.0, 30.0, 0.0]]).astype(dtype)
    y = keras.ops.convert_to_numpy(kops.gelu(x))
    assert y.dtype == np.dtype(dtype)
    # float64: tensorflow's erf and erfc are accurate to about 5e-9 only
    atol = 6e-6 if dtype == "float32" else 1e-8
    np.testing.assert_allclose(y, reference_gelu(x.astype("float64")), atol=atol)
    keras_gelu = keras.ops.convert_to_numpy(keras.activations.gelu(x))
    np.testing.assert_allclose(y, keras_gelu, atol=atol)


def test_gelu_keeps_half_precision():
    x = np.linspace(-3.0, 3.0, 13).astype("float16")
    y = kops.gelu(x)
    assert keras.backend.standardize_dtype(y.dtype) == "float16"
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(y).astype("float64"),
        reference_gelu(x.astype("float64")),
        atol=5e-3,
    )


def test_gelu_gradient_matches_finite_differences():
    x = np.linspace(-4.0, 4.0, 17).astype("float64")
    eps = 1e-6
    numeric = (reference_gelu(x + eps) - reference_gelu(x - eps)) / (2 * eps)
    # the derivative written out: Phi(x) + x phi(x)
    pdf = np.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
    analytic = reference_gelu(x) / np.where(x == 0, 1.0, x) + x * pdf
    analytic[x == 0] = 0.5
    np.testing.assert_allclose(numeric, analytic, atol=1e-7)
    grad = _gradient(kops.gelu, x)
    np.testing.assert_allclose(grad, analytic, atol=1e-8)


def _gradient(f, x):
    backend = keras.config.backend()
    if backend == "jax":
        import jax

        return np.asarray(jax.grad(lambda v: f(v).sum())(x))
    if backend == "tensorflow":
        import tensorflow as tf

        v = tf.Variable(x)
        with tf.GradientTape() as tape:
            s = tf.reduce_sum(f(v))
        return tape.gradient(s, v).numpy()
    import torch

    v = torch.tensor(x, requires_grad=True)
    f(v).sum().backward()
    return v.grad.numpy()


def test_fast_activation_replaces_only_the_exact_gelu():
    assert kops.fast_activation(keras.activations.gelu) is kops.gelu
    for other in (keras.activations.relu, keras.activations.tanh, np.tanh):
        assert kops.fast_activation(other) is other

    # the approximate gelu is another function: left as it is
    def approximate(x):
        return keras.activations.gelu(x, approximate=True)

    assert kops.fast_activation(approximate) is approximate
