"""Helpers shared by the kx-layers tests: backend autodiff and finite differences."""

import keras
import numpy as np
import pytest

from kx.ops.testing import backend_grad


def check_gradients(function, arrays, eps=1e-6, count=10, seed=0, rtol=1e-6):
    """Compare autodiff gradients with central finite differences (float64).

    ``function`` maps float64 tensors to a scalar tensor; ``count`` random entries of
    every array are checked.
    """
    arrays = [np.asarray(a, dtype="float64") for a in arrays]
    grads = backend_grad(function, *arrays)
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
