"""Helpers shared by the kx-layers tests: backend autodiff and finite differences."""

import keras
import numpy as np
import pytest


def _backend_grad(function, arrays):
    """Gradients of the scalar ``function(*tensors)`` by the backend's autodiff."""
    backend = keras.config.backend()
    if backend == "jax":
        import jax

        grads = jax.grad(function, argnums=tuple(range(len(arrays))))(
            *[jax.numpy.asarray(a) for a in arrays]
        )
        return [np.asarray(g) for g in grads]
    if backend == "tensorflow":
        import tensorflow as tf

        tensors = [tf.constant(a) for a in arrays]
        with tf.GradientTape() as tape:
            for t in tensors:
                tape.watch(t)
            value = function(*tensors)
        return [g.numpy() for g in tape.gradient(value, tensors)]
    import torch

    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    function(*tensors).backward()
    return [t.grad.numpy() for t in tensors]


def check_gradients(function, arrays, eps=1e-6, count=10, seed=0, rtol=1e-6):
    """Compare autodiff gradients with central finite differences (float64).

    ``function`` maps float64 tensors to a scalar tensor; ``count`` random entries of
    every array are checked.
    """
    arrays = [np.asarray(a, dtype="float64") for a in arrays]
    grads = _backend_grad(function, arrays)
    rng = np.random.default_rng(seed)

    def value(args):
        return float(keras.ops.convert_to_numpy(function(*args)))

    for index, (array, grad) in enumerate(zip(arrays, grads)):
        flat = rng.choice(array.size, size=min(count, array.size), replace=False)
        for position in flat:
            entry = np.unravel_index(position, array.shape)
            plus, minus = array.copy(), array.copy()
            plus[entry] += eps
            minus[entry] -= eps
            args_plus = [plus if i == index else a for i, a in enumerate(arrays)]
            args_minus = [minus if i == index else a for i, a in enumerate(arrays)]
            numeric = (value(args_plus) - value(args_minus)) / (2 * eps)
            np.testing.assert_allclose(
                grad[entry],
                numeric,
                rtol=rtol,
                atol=1e-7,
                err_msg=f"gradient of argument {index} at {entry}",
            )


def layer_gradient_check(layer, x, seed=0):
    """Check the gradients of ``sum(layer(x) * r)`` for the input and every weight."""
    layer(x)  # build
    rng = np.random.default_rng(seed + 1)
    r = rng.standard_normal(tuple(layer.compute_output_shape(x.shape)))
    weights = [keras.ops.convert_to_numpy(w) for w in layer.trainable_variables]
    non_trainable = [w.value for w in layer.non_trainable_variables]

    def function(inputs, *trainable):
        out, _ = layer.stateless_call(list(trainable), non_trainable, inputs)
        return keras.ops.sum(out * keras.ops.convert_to_tensor(r))

    check_gradients(function, [x, *weights])


@pytest.fixture
def gradient_check():
    return layer_gradient_check
