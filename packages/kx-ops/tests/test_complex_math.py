"""Complex products, conj and abs against numpy complex arithmetic."""

import keras
import numpy as np
import pytest

from kx import ops as kops


def to_complex(pair):
    re, im = (keras.ops.convert_to_numpy(p) for p in pair)
    return re + 1j * im


def crand(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape) + 1j * rng.normal(size=shape)


def pair(z):
    return np.real(z).copy(), np.imag(z).copy()


def test_complex_multiply_broadcasts_like_numpy():
    a, b = crand((2, 3, 4), 0), crand((3, 1), 1)
    np.testing.assert_allclose(
        to_complex(kops.complex_multiply(pair(a), pair(b))), a * b
    )


def test_complex_einsum_matches_numpy():
    a, b = crand((2, 5, 4, 3), 0), crand((3, 6, 5, 4), 1)
    got = kops.complex_einsum("bxyi,ioxy->bxyo", pair(a), pair(b))
    np.testing.assert_allclose(
        to_complex(got), np.einsum("bxyi,ioxy->bxyo", a, b), atol=1e-10
    )


@pytest.mark.parametrize(
    "subscripts, shapes",
    [
        ("bxi,xio->bxo", [(2, 5, 3), (5, 3, 4)]),  # kx.layers' spectral mix
        ("bix,xio->box", [(2, 3, 5), (5, 3, 4)]),
        ("ij,jk->ki", [(3, 4), (4, 2)]),  # no batch letter, permuted output
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
        ("i,i->", [(4,), (4,)]),  # scalar output
        ("ij,kl->ljik", [(2, 3), (4, 1)]),  # outer product, nothing contracted
        ("ab,ba->", [(3, 4), (4, 3)]),
        ("ij,k->k", [(2, 3), (4,)]),  # a letter summed in one operand alone
        ("ii,i->i", [(3, 3), (3,)]),  # a diagonal
    ],
)
def test_complex_einsum_contractions_match_numpy(subscripts, shapes):
    a, b = crand(shapes[0], 3), crand(shapes[1], 4)
    np.testing.assert_allclose(
        to_complex(kops.complex_einsum(subscripts, pair(a), pair(b))),
        np.einsum(subscripts, a, b),
        atol=1e-10,
    )


def test_conj_and_abs():
    z = crand((4, 3), 2)
    np.testing.assert_allclose(to_complex(kops.conj(pair(z))), np.conj(z))
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(kops.abs(pair(z))), np.abs(z), atol=1e-12
    )
    zero = np.zeros((2,))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(kops.abs((zero, zero))), 0)


def test_complex_einsum_implicit_output_and_ellipsis():
    a, b = crand((2, 3, 4), 0), crand((4, 5), 1)
    np.testing.assert_allclose(
        to_complex(kops.complex_einsum("...i,ij", pair(a), pair(b))),
        np.einsum("...i,ij", a, b),
        atol=1e-10,
    )
    np.testing.assert_allclose(
        to_complex(kops.complex_einsum("bxi,ij", pair(a), pair(b))),
        np.einsum("bxi,ij", a, b),
        atol=1e-10,
    )
