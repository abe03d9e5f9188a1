"""cfc_recurrence and cfc_update against the CfC recurrence written out step by
step in numpy.

The reference is tests/cfc_reference.py. Gradients are in test_gradients.py.
"""

import keras
import numpy as np
import pytest
from cfc_reference import cfc_np

from kx import ops as kops
from kx.ops.testing import compiled_function

BACKEND = keras.config.backend()


def problem(mode, timed, layers, dropout=False, batch=3, steps=5, units=4, seed=0):
    """numpy arguments of one call: (inputs, initial_state, recurrent_kernel), and
    the keyword arguments. ``layers``: 0 (no backbone), 1 or 2 backbone layers."""
    rng = np.random.default_rng(seed)
    heads = (1 if mode == "pure" else 4 if timed else 3) * units
    n, m = 6, 5
    kwargs = {"mode": mode}
    if layers:
        p = rng.normal(size=(batch, steps, n))
        width = m if layers == 2 else n
        kwargs["kernel"] = rng.normal(size=(width, heads)) * 0.5
        kwargs["bias"] = rng.normal(size=(heads,))
        if layers == 2:
            kwargs["backbone"] = [(rng.normal(size=(n, m)) * 0.5, rng.normal(size=m))]
        if dropout:
            kwargs["dropout_mask"] = (rng.random((batch, width)) > 0.3) / 0.7
    else:
        p = rng.normal(size=(batch, steps, heads))
    if timed:
        kwargs["elapsed"] = rng.uniform(0.1, 2.0, (batch, steps, 1))
    if mode == "pure":
        kwargs["w_tau"] = rng.normal(size=units)
        kwargs["big_a"] = rng.normal(size=units)
    recurrent = rng.normal(size=(units, p.shape[-1])) * 0.5
    return (p, rng.normal(size=(batch, units)), recurrent), kwargs


def converted(args, kwargs, dtype):
    def tensor(x):
        return keras.ops.convert_to_tensor(np.asarray(x), dtype)

    kwargs = dict(kwargs)
    for name in ("kernel", "bias", "elapsed", "w_tau", "big_a", "dropout_mask"):
        if name in kwargs:
            kwargs[name] = tensor(kwargs[name])
    if "backbone" in kwargs:
        kwargs["backbone"] = [(tensor(k), tensor(b)) for k, b in kwargs["backbone"]]
    return [tensor(a) for a in args], kwargs


CASES = [  # mode, elapsed, backbone layers, activation, dropout
    ("default", False, 1, "tanh", False),
    ("default", True, 2, "relu", True),
    ("default", False, 0, "linear", False),
    ("no_gate", False, 2, "sigmoid", False),
    ("no_gate", True, 0, "tanh", False),
    ("pure", False, 1, "linear", True),
    ("pure", True, 2, "tanh", False),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("backwards", [False, True])
@pytest.mark.parametrize("mode,timed,layers,activation,dropout", CASES)
def test_values_match_numpy(mode, timed, layers, activation, dropout, backwards, dtype):
    args, kwargs = problem(mode, timed, layers, dropout)
    kwargs.update(activation=activation, go_backwards=backwards)
    expected = cfc_np(*args, **kwargs)
    tensors, kw = converted(args, kwargs, dtype)
    got = kops.cfc_recurrence(*tensors, **kw)
    assert keras.backend.standardize_dtype(got.dtype) == dtype
    assert tuple(got.shape) == (3, 5, 4)
    # float64: XLA's tanh on CPU and keras's torch matmul are good to ~1e-7 there
    tol = 1e-5 if dtype == "float32" else 1e-6
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), expected, tol, tol)


def test_backwards_is_the_reversed_sequence():
    args, kwargs = problem("default", True, 1)
    forward = kops.cfc_recurrence(*converted(args, kwargs, "float32")[0], **kwargs)
    flipped = (args[0][:, ::-1], *args[1:])
    kwargs["elapsed"] = kwargs["elapsed"][:, ::-1]
    tensors, kw = converted(flipped, kwargs, "float32")
    backward = kops.cfc_recurrence(*tensors, **kw, go_backwards=True)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(forward),
        keras.ops.convert_to_numpy(backward),
        rtol=1e-6,
        atol=1e-6,
    )


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision(dtype):
    args, kwargs = problem("default", False, 1)
    expected = cfc_np(*args, **kwargs)
    tensors, kw = converted(args, kwargs, dtype)
    got = kops.cfc_recurrence(*tensors, **kw)
    assert keras.backend.standardize_dtype(got.dtype) == dtype
    got = keras.ops.convert_to_numpy(keras.ops.cast(got, "float32"))
    np.testing.assert_allclose(got, expected, rtol=0.05, atol=0.05)


def test_symbolic_and_functional():
    args, kwargs = problem("no_gate", False, 1)
    tensors, kw = converted(args, kwargs, "float32")
    p = keras.Input((None, 6))
    out = kops.cfc_recurrence(p, *tensors[1:], **kw)
    assert isinstance(out, keras.KerasTensor)
    assert tuple(out.shape) == (None, None, 4)
    model = keras.Model(p, out)
    got = model.predict(args[0].astype("float32"), batch_size=3, verbose=0)
    np.testing.assert_allclose(got, cfc_np(*args, **kwargs), rtol=1e-5, atol=1e-5)


def compiled_versions(function):
    versions = [compiled_function(function)]
    if BACKEND == "tensorflow":
        # graph mode too (the XLA clusters of kx.ops run inside it), not only XLA
        versions.append(compiled_function(function, jit_compile=False))
    return versions


def test_compiled_matches_numpy():
    """Inside compiled functions, as a CfC layer's train step runs it."""
    args, kwargs = problem("default", True, 2, dropout=True)
    tensors, kw = converted(args, kwargs, "float32")
    expected = cfc_np(*args, **kwargs)
    for compiled in compiled_versions(lambda *xs: kops.cfc_recurrence(*xs, **kw)):
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(compiled(*tensors)),
            expected,
            rtol=1e-5,
            atol=1e-5,
        )


@pytest.mark.parametrize(
    "change,match",
    [
        (
            {"mode": "gated"},
            r"`mode` must be one of \['default', 'no_gate', 'pure'\]; got mode='gated'",
        ),
        ({"activation": "gelu"}, r"`activation` must be one of \['tanh'.*'gelu'"),
        ({"kernel": None}, "`kernel` and `bias` must be given together"),
        ({"backbone": [(1,)]}, r"`backbone` must be a sequence of \(kernel, bias\)"),
        ({"w_tau": np.ones(4)}, "`w_tau` and `big_a` must be given in 'pure' mode"),
        ({"elapsed": np.ones((3, 5))}, r"`elapsed` must have shape \(batch, time, 1\)"),
        (
            {"bias": np.ones(5)},
            r"`kernel` must have shape \(6, 12\) and `bias` \(12,\)",
        ),
        (
            {"dropout_mask": np.ones((3, 7))},
            r"`dropout_mask` must have shape \(batch, 6\)",
        ),
        ({"inputs": np.ones((3, 6))}, r"`inputs` must have shape \(batch, time, n\)"),
        ({"initial_state": np.ones((3, 4, 1))}, r"`initial_state` must have shape"),
        (
            {"recurrent_kernel": np.ones((4, 5))},
            r"`recurrent_kernel` must have shape \(units, n\) = \(4, 6\)",
        ),
        (
            {"backbone": [(np.ones((5, 5)), np.ones(5))]},
            r"`backbone\[0\]` must be a kernel of shape \(6, m\)",
        ),
    ],
)
def test_bad_input(change, match):
    (p, h0, recurrent), kwargs = problem("default", False, 1)
    kwargs = {"inputs": p, "initial_state": h0, "recurrent_kernel": recurrent, **kwargs}
    kwargs.update(change)
    with pytest.raises(ValueError, match=f"^cfc_recurrence: {match}"):
        kops.cfc_recurrence(**kwargs)


def test_heads_without_backbone_must_fit():
    (p, h0, recurrent), _ = problem("default", False, 0)
    with pytest.raises(
        ValueError,
        match="^cfc_recurrence: without `kernel`, `inputs` holds the heads: its last "
        "axis must be 16 for mode 'default' with",
    ):
        kops.cfc_recurrence(p, h0, recurrent, elapsed=np.ones((3, 5, 1)))
    with pytest.raises(
        ValueError, match="^cfc_recurrence: `backbone` and `dropout_mask` need a"
    ):
        kops.cfc_recurrence(p, h0, recurrent, dropout_mask=np.ones((3, 12)))


@pytest.mark.parametrize("mode", ["default", "no_gate", "pure"])
@pytest.mark.parametrize("timed", [False, True])
def test_update_is_one_step_of_the_reference(mode, timed):
    """One step without a backbone from a zero state: the heads are the inputs."""
    (p, _, _), kwargs = problem(mode, timed, 0, steps=1)
    zeros = np.zeros((p.shape[0], 4))
    expected = cfc_np(p, zeros, np.zeros((4, p.shape[-1])), **kwargs)[:, 0]
    args = {k: kwargs[k] for k in ("w_tau", "big_a") if k in kwargs}
    if timed:
        args["elapsed"] = kwargs["elapsed"][:, 0]
    tensors, args = converted([p[:, 0]], args, "float32")
    got = kops.cfc_update(tensors[0], mode, **args)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(got), expected, rtol=1e-5, atol=1e-5
    )
    if timed:
        args["elapsed"] = keras.Input((1,))
    symbolic = kops.cfc_update(keras.Input(p.shape[-1:]), mode, **args)
    assert tuple(symbolic.shape) == (None, 4)


@pytest.mark.parametrize(
    "args,match",
    [
        ({"mode": "gated"}, r"`mode` must be one of \['default', 'no_gate', 'pure'\]"),
        ({"mode": "pure"}, "`w_tau` and `big_a` must be given in 'pure' mode"),
        ({"elapsed": np.ones((3, 1))}, "`heads` must have 4 blocks of units"),
        (
            {"mode": "pure", "w_tau": np.ones(3), "big_a": np.ones(6)},
            r"`w_tau` must have shape \(6,\); got shape \(3,\)",
        ),
    ],
)
def test_update_bad_input(args, match):
    with pytest.raises(ValueError, match=f"^cfc_update: {match}"):
        kops.cfc_update(np.ones((3, 6), "float32"), **args)
