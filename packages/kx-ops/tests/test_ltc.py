"""ltc_unfolds against the LTC solver written out per synapse in numpy.

The reference (tests/ltc_reference.py) loops over the synapse list one synapse at
a time. Gradients are in test_gradients.py.
"""

import keras
import numpy as np
import pytest
from ltc_reference import ltc_np

from kx import ops as kops
from kx.ops.testing import compiled_call

BACKEND = keras.config.backend()


def wiring(units, synapses, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, units, synapses), rng.integers(0, units, synapses)


def problem(batch, units, synapses, cm_shape, seed=0):
    rng = np.random.default_rng(seed)
    sources, targets = wiring(units, synapses, seed + 1)
    w = rng.uniform(0.01, 1.0, synapses)
    arrays = [
        rng.normal(size=(batch, units)),  # v
        rng.normal(size=(batch, units)),  # numerator
        2.0 + rng.uniform(size=(batch, units)),  # denominator (with cm)
        rng.uniform(0.5, 1.5, size=cm_shape),  # cm
        rng.uniform(3.0, 8.0, synapses),  # sigma
        rng.uniform(1.0, 5.0, synapses),  # sigma * mu
        w,
        w * rng.choice([-1.0, 1.0], synapses),  # w * erev
    ]
    return arrays, sources, targets


CASES = [
    # batch, units, synapses, cm shape, unfolds
    (4, 6, 15, (6,), 6),
    (3, 5, 40, (3, 5), 3),  # more synapses than pairs: repeated pairs add up
    (2, 8, 8, (1, 8), 1),
    (1, 3, 0, (3,), 2),  # no synapses: leak only
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("batch,units,synapses,cm_shape,unfolds", CASES)
def test_values_match_numpy(batch, units, synapses, cm_shape, unfolds, dtype):
    arrays, sources, targets = problem(batch, units, synapses, cm_shape)
    expected = ltc_np(*arrays, sources, targets, unfolds)
    tensors = [keras.ops.convert_to_tensor(a, dtype) for a in arrays]
    got = kops.ltc_unfolds(*tensors, sources, targets, unfolds)
    assert keras.backend.standardize_dtype(got.dtype) == dtype
    assert tuple(got.shape) == (batch, units)
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), expected, tol, tol)


def test_sources_as_lists_and_int32():
    arrays, sources, targets = problem(2, 4, 9, (4,))
    expected = ltc_np(*arrays, sources, targets, 6)
    for src, dest in (
        (list(sources), list(targets)),
        (sources.astype("int32"), targets.astype("int32")),
    ):
        got = kops.ltc_unfolds(*[a.astype("float32") for a in arrays], src, dest, 6)
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(got), expected, rtol=1e-5, atol=1e-5
        )


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision(dtype):
    arrays, sources, targets = problem(4, 6, 15, (6,))
    expected = ltc_np(*arrays, sources, targets, 6)
    tensors = [keras.ops.convert_to_tensor(a, dtype) for a in arrays]
    got = kops.ltc_unfolds(*tensors, sources, targets, 6)
    assert keras.backend.standardize_dtype(got.dtype) == dtype
    got = keras.ops.convert_to_numpy(keras.ops.cast(got, "float32"))
    np.testing.assert_allclose(got, expected, rtol=0.05, atol=0.05)


def test_symbolic_and_functional():
    arrays, sources, targets = problem(3, 6, 12, (6,))
    v = keras.Input((6,))
    out = kops.ltc_unfolds(v, *arrays[1:], sources, targets, 6)
    assert isinstance(out, keras.KerasTensor)
    assert tuple(out.shape) == (None, 6)
    model = keras.Model(v, out)
    got = model.predict(arrays[0].astype("float32"), verbose=0)
    expected = ltc_np(*arrays, sources, targets, 6)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_compiled_loop_matches_eager():
    """Inside a compiled function, as the RNN loop of an LTC layer runs it."""
    arrays, sources, targets = problem(4, 6, 15, (4, 6))
    tensors = [keras.ops.convert_to_tensor(a, "float32") for a in arrays]

    def f(*xs):
        return kops.ltc_unfolds(*xs, sources, targets, 6)

    np.testing.assert_allclose(
        compiled_call(f, *tensors),
        ltc_np(*arrays, sources, targets, 6),
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.mark.parametrize(
    "change,match",
    [
        ({"unfolds": 0}, "`unfolds` must be an int >= 1; got unfolds=0"),
        ({"unfolds": True}, "`unfolds` must be an int >= 1; got unfolds=True"),
        ({"unfolds": 2.0}, "`unfolds` must be an int >= 1; got unfolds=2.0"),
        ({"sources": [0, 1, 6]}, r"`sources` must hold neuron indices in \[0, 6\)"),
        ({"targets": [-1, 0, 0]}, r"`targets` must hold neuron indices in \[0, 6\)"),
        ({"targets": [0, 1]}, ".*must have the same length; got 3 and 2"),
        ({"sources": [[0, 1, 2]]}, "`sources` must be a 1-d sequence of ints"),
        ({"sources": [0.0, 1.0, 2.0]}, "`sources` must be a 1-d sequence of ints"),
        ({"v": np.zeros((2, 3, 6), "float32")}, r"`v` must have shape \(batch, N\)"),
    ],
)
def test_bad_input(change, match):
    arrays, _, _ = problem(2, 6, 3, (6,))
    args = dict(
        zip(
            ["v", "numerator", "denominator", "cm", "sigma", "sigma_mu", "w", "w_erev"],
            [a.astype("float32") for a in arrays],
        )
    )
    args.update(sources=[0, 1, 2], targets=[1, 2, 0], unfolds=6)
    args.update(change)
    with pytest.raises(ValueError, match=f"^ltc_unfolds: {match}"):
        kops.ltc_unfolds(**args)


def test_tensor_sources_rejected():
    arrays, _, _ = problem(2, 6, 3, (6,))
    with pytest.raises(
        ValueError, match="^ltc_unfolds: `sources` must be a static list"
    ):
        kops.ltc_unfolds(
            *[a.astype("float32") for a in arrays],
            keras.ops.convert_to_tensor([0, 1, 2]),
            [1, 2, 0],
            6,
        )


@pytest.mark.parametrize(
    "index,shape,match",
    [
        (4, (2,), r"`sigma` must have one value per synapse, shape \(3,\)"),
        (7, (3, 1), r"`w_erev` must have one value per synapse"),
        (3, (5,), r"`cm` must have shape \(batch, 6\) or \(6,\)"),
        (1, (2, 6, 1), r"`numerator` must have shape \(batch, 6\)"),
    ],
)
def test_bad_parameter_shapes(index, shape, match):
    arrays, _, _ = problem(2, 6, 3, (6,))
    arrays = [a.astype("float32") for a in arrays]
    arrays[index] = np.ones(shape, "float32")
    with pytest.raises(ValueError, match=f"^ltc_unfolds: {match}"):
        kops.ltc_unfolds(*arrays, [0, 1, 2], [1, 2, 0], 6)


def _dense(values, sources, targets, units):
    """A synapse list's values as (N, N) matrices (row: source, column: target)."""
    matrix = np.zeros((units, units))
    np.add.at(matrix, (sources, targets), values)
    return matrix


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dense_form_matches_numpy_on_every_pair(dtype):
    """sources=targets=None: (N, N) matrices, every pair a synapse (zero w: none)."""
    units, batch, unfolds = 5, 3, 4
    rng = np.random.default_rng(9)
    sources = np.repeat(np.arange(units), units)
    targets = np.tile(np.arange(units), units)
    arrays, _, _ = problem(batch, units, units * units, (units,), seed=4)
    arrays[6][rng.uniform(size=units * units) < 0.3] = 0.0  # some pairs without w
    arrays[7] = arrays[6] * rng.choice([-1.0, 1.0], units * units)
    expected = ltc_np(*arrays, sources, targets, unfolds)
    dense = [*arrays[:4], *(_dense(a, sources, targets, units) for a in arrays[4:])]
    tensors = [keras.ops.convert_to_tensor(a, dtype) for a in dense]
    got = kops.ltc_unfolds(*tensors, None, None, unfolds)
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), expected, tol, tol)


def test_dense_form_rejects_bad_shapes_and_half_lists():
    arrays, sources, targets = problem(2, 4, 16, (4,))
    with pytest.raises(
        ValueError, match=r"^ltc_unfolds: `sigma`.*neuron pair.*\(4, 4\)"
    ):
        kops.ltc_unfolds(*arrays, None, None, 2)
    with pytest.raises(
        ValueError, match="^ltc_unfolds: .*both be synapse lists or both be None"
    ):
        kops.ltc_unfolds(*arrays, sources, None, 2)
