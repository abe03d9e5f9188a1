"""kx.ops.testing's backend helpers: backend_grad against central finite
differences of a numpy version of the same function (float64), compiled_function
and compiled_call against numpy values, and tracing counted where it compiles."""

import keras
import numpy as np
import pytest

from kx.ops.testing import backend_grad, compiled_call, compiled_function

BACKEND = keras.config.backend()
COMPILES = BACKEND in ("jax", "tensorflow")


def f_keras(x, y, unused):
    return keras.ops.sum(keras.ops.sin(x) * y**2) + keras.ops.sum(x * x * y)


def f_numpy(x, y, unused):
    return np.sum(np.sin(x) * y**2) + np.sum(x * x * y)


def finite_differences(function, args, eps=1e-6):
    """Central differences of ``function`` along each entry of each argument."""
    grads = []
    for k, a in enumerate(args):
        steps = np.eye(a.size).reshape((a.size, *a.shape)) * eps

        def at(x, k=k):
            return function(*args[:k], x, *args[k + 1 :])

        diffs = [at(a + step) - at(a - step) for step in steps]
        grads.append(np.reshape(diffs, a.shape) / (2 * eps))
    return grads


def problem():
    rng = np.random.default_rng(3)
    return [rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(2,))]


@pytest.mark.parametrize(
    "options",
    [{}, {"compiled": True}, {"compiled": True, "torch_compile": True}],
    ids=["eager", "compiled", "torch_compile"],
)
def test_backend_grad_matches_finite_differences(options):
    if options.get("torch_compile") and BACKEND != "torch":
        pytest.skip("torch_compile applies on torch only")
    args = problem()
    grads = backend_grad(f_keras, *args, **options)
    expected = finite_differences(f_numpy, args)
    assert len(grads) == 3
    for got, want, a in zip(grads, expected, args):
        assert isinstance(got, np.ndarray)
        assert got.shape == a.shape and got.dtype == np.float64
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
    assert np.abs(grads[0]).max() > 0 and np.abs(grads[1]).max() > 0
    np.testing.assert_array_equal(grads[2], np.zeros(2))


def test_backend_grad_takes_tensors():
    args = problem()
    grads = backend_grad(f_keras, *[keras.ops.convert_to_tensor(a) for a in args])
    np.testing.assert_allclose(grads[0], finite_differences(f_numpy, args)[0], 1e-6)


def counted(function):
    """``function`` and a list that grows each time its Python body runs."""
    calls = []

    def wrapped(*xs):
        calls.append(1)
        return function(*xs)

    return wrapped, calls


@pytest.mark.parametrize("jit_compile", [True, False])
def test_compiled_function_traces_once_and_matches_numpy(jit_compile):
    def function(x, y):
        return keras.ops.matmul(x, y), keras.ops.tanh(x)

    wrapped, calls = counted(function)
    compiled = compiled_function(wrapped, jit_compile=jit_compile)
    rng = np.random.default_rng(0)
    x, y = (rng.normal(size=s).astype("float32") for s in ((2, 3), (3, 4)))
    for _ in range(2):
        product, tanh = compiled(*[keras.ops.convert_to_tensor(a) for a in (x, y)])
        np.testing.assert_allclose(keras.ops.convert_to_numpy(product), x @ y, 1e-5)
        np.testing.assert_allclose(keras.ops.convert_to_numpy(tanh), np.tanh(x), 1e-5)
    # traced once and then replayed where the backend compiles; torch runs eagerly
    assert len(calls) == (1 if COMPILES else 2)


def test_compiled_function_with_unknown_sizes():
    wrapped, calls = counted(lambda x, w: keras.ops.matmul(x, w))
    compiled = compiled_function(
        wrapped, input_shapes=[(None, 3), (3, 2)], torch_compile=True
    )
    w = np.arange(6, dtype="float32").reshape(3, 2)
    for batch in (2, 5):
        x = np.ones((batch, 3), "float32")
        got = compiled(keras.ops.convert_to_tensor(x), keras.ops.convert_to_tensor(w))
        np.testing.assert_allclose(keras.ops.convert_to_numpy(got), x @ w)
    if BACKEND == "tensorflow":
        assert len(calls) == 1  # one trace serves both batch sizes


def test_compiled_call_returns_numpy_in_the_same_nesting():
    x = np.array([1.0, -2.0, 3.0], "float32")
    out = compiled_call(lambda t: {"a": keras.ops.abs(t), "b": (t * 2, t + 1)}, x)
    assert isinstance(out["a"], np.ndarray)
    np.testing.assert_allclose(out["a"], np.abs(x))
    np.testing.assert_allclose(out["b"][0], x * 2)
    np.testing.assert_allclose(out["b"][1], x + 1)


def test_compiled_call_records_no_gradient_on_torch():
    if BACKEND != "torch":
        pytest.skip("torch only: the eager fallback runs as predict does")
    import torch

    seen = []

    def function(t):
        seen.append(torch.is_grad_enabled())
        return t * 2

    out = compiled_call(function, torch.ones(2, requires_grad=True))
    np.testing.assert_allclose(out, [2.0, 2.0])
    assert seen == [False]
