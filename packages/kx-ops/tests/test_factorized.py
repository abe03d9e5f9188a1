"""kx.ops.factorized: Tucker and CP reconstructions against numpy, and rank rules."""

import math

import keras
import numpy as np
import pytest

from kx import ops as kx_ops

RNG = np.random.default_rng(0)


def _numpy_tucker(core, factors):
    # mode-k products written out one mode at a time
    w = core
    for k, u in enumerate(factors):
        w = np.moveaxis(np.tensordot(u, w, axes=([1], [k])), 0, k)
    return w


def _numpy_cp(weights, factors):
    shape = tuple(u.shape[0] for u in factors)
    w = np.zeros(shape, weights.dtype)
    for r in range(weights.shape[0]):
        outer = weights[r]
        for u in factors:
            outer = np.multiply.outer(outer, u[:, r])
        w = w + outer
    return w


def _np(x):
    return keras.ops.convert_to_numpy(x)


@pytest.mark.parametrize("complex_", [False, True])
def test_tucker_to_tensor_matches_numpy(complex_):
    shape, ranks = (5, 4, 3, 6), (2, 3, 3, 4)
    core = RNG.normal(size=ranks) + 1j * complex_ * RNG.normal(size=ranks)
    factors = [
        RNG.normal(size=(s, r)) + 1j * complex_ * RNG.normal(size=(s, r))
        for s, r in zip(shape, ranks)
    ]
    expected = _numpy_tucker(core, factors)
    if complex_:
        re, im = kx_ops.tucker_to_tensor(
            (core.real, core.imag), [(u.real, u.imag) for u in factors]
        )
        got = _np(re) + 1j * _np(im)
    else:
        got = _np(kx_ops.tucker_to_tensor(core.real, [u.real for u in factors]))
    assert got.shape == shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("complex_", [False, True])
def test_cp_to_tensor_matches_numpy(complex_):
    shape, r = (5, 4, 3), 3
    weights = RNG.normal(size=(r,)) + 1j * complex_ * RNG.normal(size=(r,))
    factors = [RNG.normal(size=(s, r)) + 1j * complex_ * RNG.normal(size=(s, r))
               for s in shape]  # fmt: skip
    expected = _numpy_cp(weights, factors)
    if complex_:
        re, im = kx_ops.cp_to_tensor(
            (weights.real, weights.imag), [(u.real, u.imag) for u in factors]
        )
        got = _np(re) + 1j * _np(im)
    else:
        got = _np(kx_ops.cp_to_tensor(weights.real, [u.real for u in factors]))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_tucker_rank_keeps_the_fraction_of_parameters():
    # c solves c^K prod(s) + c sum(s^2) = rank prod(s): for (64, 64, 9) and 0.1,
    # prod = 36864, sum of squares = 8273; c^3 36864 + 8273 c = 3686.4 has its
    # root near c = 0.3112, so ranks round(0.3112 * (64, 64, 9)) = (20, 20, 3)
    ranks = kx_ops.tucker_rank((64, 64, 9), 0.1)
    assert ranks == (20, 20, 3)
    # 20 * 20 * 3 + 64 * 20 + 64 * 20 + 9 * 3 = 3787 of 36864: 0.1027
    params = math.prod(ranks) + 64 * 20 + 64 * 20 + 9 * 3
    assert params == 3787
    assert abs(params / 36864 - 0.1) < 0.01
    assert kx_ops.tucker_rank((8, 8, 4), 3) == (3, 3, 3)
    assert kx_ops.tucker_rank((8, 8, 4), [1, 2, 3]) == (1, 2, 3)
    # never below 1
    assert kx_ops.tucker_rank((100, 2), 0.01) == (1, 1)


def test_cp_rank_rule():
    # round(rank * prod / sum) = round(0.1 * 36864 / 137) = round(26.9) = 27
    assert kx_ops.cp_rank((64, 64, 9), 0.1) == 27
    assert kx_ops.cp_rank((64, 64, 9), 5) == 5
    assert kx_ops.cp_rank((100, 100), 1e-6) == 1


@pytest.mark.parametrize("bad", [0, -1, 0.0, -0.5, float("nan"), True, "0.1"])
def test_non_positive_rank_is_a_value_error(bad):
    with pytest.raises(ValueError, match="^tucker_rank: `rank` must be a positive"):
        kx_ops.tucker_rank((4, 4), bad)
    with pytest.raises(ValueError, match="^cp_rank: `rank` must be a positive"):
        kx_ops.cp_rank((4, 4), bad)


def test_wrong_factor_count_is_a_value_error():
    with pytest.raises(
        ValueError,
        match="^tucker_to_tensor: `factors` must be a list of 2 .*one per mode",
    ):
        kx_ops.tucker_to_tensor(np.ones((2, 2)), [np.ones((3, 2))])
