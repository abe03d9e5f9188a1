"""kx.ops.scan against a Python loop in numpy: values, reverse, outputs of their own
shapes, gradients, and its argument errors."""

import keras
import numpy as np
import pytest
from test_gradients import backend_gradients

from kx import ops as kops


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _step(carry, xs):
    h, n = carry
    x, w = xs
    z = h * w + x
    h = z / (1.0 + z * z)  # smooth, and in the input's dtype on every backend
    return (h, n + 1.0), (h, keras.ops.sum(h, axis=-1))


def _reference(x, w, h, reverse):
    steps = range(len(x))
    ys, sums = [None] * len(x), [None] * len(x)
    for t in reversed(steps) if reverse else steps:
        z = h * w[t] + x[t]
        h = z / (1.0 + z * z)
        ys[t], sums[t] = h, h.sum(-1)
    return h, np.stack(ys), np.stack(sums)


@pytest.mark.parametrize("reverse", [False, True])
def test_values_and_outputs_of_their_own_shape(reverse):
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(5, 3, 2)), rng.normal(size=(5, 3, 2))
    h0 = rng.normal(size=(3, 2))
    (h, n), (ys, sums) = kops.scan(
        _step,
        (h0.astype("float32"), np.zeros((), "float32")),
        [x.astype("float32"), w.astype("float32")],
        reverse,
    )
    h_np, ys_np, sums_np = _reference(x, w, h0, reverse)
    np.testing.assert_allclose(_np(h), h_np, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(ys), ys_np, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(sums), sums_np, rtol=1e-5, atol=1e-5)
    assert float(_np(n)) == 5.0 and tuple(sums.shape) == (5, 3)


@pytest.mark.parametrize("mode", ["eager", "graph", "compiled"])
def test_gradient_matches_finite_differences(mode):
    if mode == "graph" and keras.config.backend() != "tensorflow":
        pytest.skip("graph mode is tensorflow's")
    if mode == "compiled" and keras.config.backend() == "torch":
        pytest.skip("torch compiles nothing here")
    rng = np.random.default_rng(1)
    x, w, h0 = (rng.normal(size=s) for s in ((4, 2, 3), (4, 2, 3), (2, 3)))
    weights = [rng.normal(size=(2, 3)), rng.normal(size=(4, 2, 3))]

    def run(xv, hv):
        (h, _), (ys, _) = kops.scan(
            _step, (hv, 0.0), [xv, keras.ops.convert_to_tensor(w, "float64")]
        )
        return h, ys

    def reference(xv, hv):
        h, ys, _ = _reference(xv, w, hv, False)
        return h, ys

    tensors = [keras.ops.convert_to_tensor(a, "float64") for a in (x, h0)]
    tensor_weights = [keras.ops.convert_to_tensor(a, "float64") for a in weights]
    got = backend_gradients(run, tensors, tensor_weights, mode)
    eps, expected = 1e-6, []
    for k, a in enumerate((x, h0)):
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            up, down = [x.copy(), h0.copy()], [x.copy(), h0.copy()]
            up[k][i] += eps
            down[k][i] -= eps
            f = [
                sum(np.sum(o * wt) for o, wt in zip(reference(*v), weights))
                for v in (up, down)
            ]
            g[i] = (f[0] - f[1]) / (2 * eps)
        expected.append(g)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-7)


def test_bad_arguments():
    with pytest.raises(ValueError, match="scan: `f` must be callable"):
        kops.scan(None, 0.0, [np.ones(3)])
    with pytest.raises(ValueError, match="scan: `xs` must hold at least one"):
        kops.scan(_step, 0.0, [])
