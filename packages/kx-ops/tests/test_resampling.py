"""fourier_resample, fft_dtype and check_modes_fit against numpy."""

import keras
import numpy as np
import pytest

from kx import ops as kops


def numpy_resample(x, out_sizes, axes):
    """The same frequencies moved into a zero spectrum of the output size, in numpy."""
    z = np.fft.rfftn(x, axes=axes, norm="forward")
    for i, (axis, out) in enumerate(zip(axes, out_sizes)):
        n = x.shape[axis]
        m = min(n, out) // 2
        half = i == len(axes) - 1
        shape = list(z.shape)
        shape[axis] = out // 2 + 1 if half else out
        new = np.zeros(shape, complex)
        src = [slice(None)] * z.ndim
        dst = [slice(None)] * z.ndim
        src[axis] = dst[axis] = slice(0, m)
        new[tuple(dst)] = z[tuple(src)]
        if not half and m > 0:
            src[axis], dst[axis] = slice(n - m, n), slice(out - m, out)
            new[tuple(dst)] = z[tuple(src)]
        z = new
    return np.fft.irfftn(z, s=out_sizes, axes=axes, norm="forward")


@pytest.mark.parametrize(
    "shape, out_sizes, axes",
    [
        ((2, 16, 3), (32,), (1,)),
        ((2, 15, 3), (8,), (1,)),
        ((2, 8, 3), (13,), (1,)),
        ((2, 3, 8, 6), (16, 9), (2, 3)),
        ((1, 10, 7, 2), (5, 14), (1, 2)),
        ((1, 4, 6, 5, 2), (8, 3, 10), (1, 2, 3)),
    ],
)
def test_fourier_resample_matches_numpy(shape, out_sizes, axes):
    x = np.random.default_rng(0).normal(size=shape)
    got = kops.fourier_resample(x, out_sizes, axes, "float64")
    got = keras.ops.convert_to_numpy(got)
    expected = numpy_resample(x, out_sizes, axes)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-10)


def band_limited(n):
    """Two low frequencies sampled at ``n`` points of the unit period."""
    s = np.arange(n) / n
    return np.cos(2 * np.pi * s) + 0.5 * np.sin(4 * np.pi * s)


def test_fourier_resample_is_exact_for_band_limited_signals():
    x = band_limited(16)[None, :, None]
    for n in (8, 24, 64):
        y = kops.fourier_resample(x, (n,), (1,), "float64")
        y = keras.ops.convert_to_numpy(y)[0, :, 0]
        np.testing.assert_allclose(y, band_limited(n), atol=1e-10)


@pytest.mark.parametrize(
    "compute_dtype, expected",
    [("float64", "float64"), ("float32", "float32"), ("float16", "float32")],
)
def test_fourier_resample_runs_in_the_fft_dtype(compute_dtype, expected):
    x = keras.ops.ones((1, 8, 2), "float16" if compute_dtype == "float16" else None)
    y = kops.fourier_resample(x, (16,), (1,), compute_dtype)
    assert keras.backend.standardize_dtype(y.dtype) == expected
    np.testing.assert_allclose(keras.ops.convert_to_numpy(y), 1.0, atol=1e-6)


@pytest.mark.parametrize(
    "compute_dtype, expected",
    [
        ("float64", "float64"),
        ("float32", "float32"),
        ("float16", "float32"),
        ("bfloat16", "float32"),
    ],
)
def test_fft_dtype(compute_dtype, expected):
    assert kops.fft_dtype(compute_dtype) == expected


@pytest.mark.parametrize(
    "spatial, modes",
    [((8,), (5,)), ((16, 16), (8, 9)), ((None, 4), (100, 3)), ((10, None), (5, 9))],
)
def test_check_modes_fit_accepts_sizes_that_hold_the_modes(spatial, modes):
    assert kops.check_modes_fit(spatial, modes, "Owner") is None


@pytest.mark.parametrize(
    "spatial, modes, match",
    [
        ((7,), (5,), "Owner: the last spatial axis has size 7, but modes=5 needs"),
        ((7, 16), (4, 2), "Owner: spatial axis 0 has size 7, but modes=4 keeps"),
        ((16, 2), (4, 3), "size >= 4"),
    ],
)
def test_check_modes_fit_names_the_axis_that_is_too_small(spatial, modes, match):
    with pytest.raises(ValueError, match=match):
        kops.check_modes_fit(spatial, modes, "Owner")
