"""kx.ops FFT values against numpy.fft (numpy is the independent reference)."""

import keras
import numpy as np
import pytest

from kx import ops as kops


def to_complex(pair):
    re, im = (keras.ops.convert_to_numpy(p) for p in pair)
    return re + 1j * im


def pair(z):
    return np.real(z).copy(), np.imag(z).copy()


def rand(shape, seed=0, complex_=False):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    return x + 1j * rng.normal(size=shape) if complex_ else x


NORMS = ("backward", "ortho", "forward")
CASES = [  # shape, s, axes
    ((2, 8, 6, 3), None, (1, 2)),
    ((2, 7, 5, 3), None, (1, 2)),
    ((2, 7, 5, 3), (6, 9), (1, 2)),
    ((9, 4), None, None),
    ((3, 11), (8,), (-1,)),
    ((4, 5, 6), None, (2, 0)),
    ((3, 4, 5, 2), (5, 3, 4), (0, 1, 2)),
]


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("shape,s,axes", CASES)
def test_rfftn_irfftn_match_numpy(shape, s, axes, norm):
    x = rand(shape)
    expected = np.fft.rfftn(x, s=s, axes=axes, norm=norm)
    np.testing.assert_allclose(
        to_complex(kops.rfftn(x, s=s, axes=axes, norm=norm)), expected, atol=1e-10
    )
    # irfftn of a generic (non-Hermitian) spectrum, as numpy defines it
    z = expected + 0.25j * rand(expected.shape, seed=1)
    got = keras.ops.convert_to_numpy(kops.irfftn(pair(z), s=s, axes=axes, norm=norm))
    np.testing.assert_allclose(
        got, np.fft.irfftn(z, s=s, axes=axes, norm=norm), atol=1e-10
    )


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("shape,s,axes", CASES)
def test_fftn_ifftn_match_numpy(shape, s, axes, norm):
    z = rand(shape, complex_=True)
    for ours, theirs in ((kops.fftn, np.fft.fftn), (kops.ifftn, np.fft.ifftn)):
        np.testing.assert_allclose(
            to_complex(ours(pair(z), s=s, axes=axes, norm=norm)),
            theirs(z, s=s, axes=axes, norm=norm),
            atol=1e-10,
        )


def test_conveniences_match_numpy():
    x = rand((3, 6, 5))
    z = rand((3, 6, 5), complex_=True)
    np.testing.assert_allclose(to_complex(kops.rfft(x, n=7)), np.fft.rfft(x, n=7))
    np.testing.assert_allclose(
        to_complex(kops.fft(pair(z), axis=1)), np.fft.fft(z, axis=1)
    )
    np.testing.assert_allclose(to_complex(kops.ifft(pair(z))), np.fft.ifft(z))
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(kops.irfft(pair(z), n=9, axis=1)),
        np.fft.irfft(z, n=9, axis=1),
    )
    np.testing.assert_allclose(to_complex(kops.rfft2(x)), np.fft.rfft2(x))
    np.testing.assert_allclose(to_complex(kops.fft2(pair(z))), np.fft.fft2(z))
    np.testing.assert_allclose(to_complex(kops.ifft2(pair(z))), np.fft.ifft2(z))
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(kops.irfft2(pair(z), s=(6, 5))),
        np.fft.irfft2(z, s=(6, 5)),
    )


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
def test_low_precision_computed_in_float32_returned_in_input_dtype(dtype):
    x = rand((2, 16, 3))
    xt = keras.ops.cast(x, dtype)
    re, im = kops.rfftn(xt, axes=(1,))
    assert keras.backend.standardize_dtype(re.dtype) == dtype
    assert keras.backend.standardize_dtype(im.dtype) == dtype
    y = kops.irfftn((re, im), s=(16,), axes=(1,))
    assert keras.backend.standardize_dtype(y.dtype) == dtype
    # computed in float32: the round trip is within the input dtype's rounding
    x_rounded = keras.ops.convert_to_numpy(keras.ops.cast(xt, "float32"))
    tol = {"float16": 2e-2, "bfloat16": 1e-1, "float32": 1e-5}[dtype]
    y = keras.ops.convert_to_numpy(keras.ops.cast(y, "float32"))
    np.testing.assert_allclose(y, x_rounded, atol=tol)


def test_float32_stays_float32():
    re, im = kops.rfftn(rand((4, 8)).astype("float32"))
    assert keras.backend.standardize_dtype(re.dtype) == "float32"
    y = kops.irfftn((re, im), s=(4, 8))
    assert keras.backend.standardize_dtype(y.dtype) == "float32"
