"""Spectral truncation and scatter against numpy indexing."""

import keras
import numpy as np
import pytest

from kx import ops as kops


def to_complex(pair):
    re, im = (keras.ops.convert_to_numpy(p) for p in pair)
    return re + 1j * im


def test_truncate_modes_keeps_both_signs_then_half_axis():
    x = np.random.default_rng(0).normal(size=(2, 10, 9, 3))
    z = np.fft.rfftn(x, axes=(1, 2))
    got = to_complex(kops.truncate_modes(kops.rfftn(x, axes=(1, 2)), (3, 2), (1, 2)))
    expected = np.concatenate([z[:, :3], z[:, -3:]], axis=1)[:, :, :2]
    np.testing.assert_allclose(got, expected, atol=1e-10)


@pytest.mark.parametrize("out_shape", [(10, 9), (16, 16), (7, 5)])
def test_pad_modes_is_the_inverse_scatter(out_shape):
    """Band-limited signals survive truncate -> pad -> irfftn at any resolution."""
    rng = np.random.default_rng(1)
    m = 2
    h, w = out_shape
    spectrum = np.zeros((2, 10, 6, 3), complex)  # a 10x10 band-limited signal
    for rows in (slice(0, m), slice(-m, None)):
        spectrum[:, rows, :m] = rng.normal(size=(2, m, m, 3)) + 1j * rng.normal(
            size=(2, m, m, 3)
        )
    x = np.fft.irfftn(spectrum, s=(10, 10), axes=(1, 2))
    kept = kops.truncate_modes(kops.rfftn(x, axes=(1, 2)), m, axes=(1, 2))
    full = kops.pad_modes(kept, (h, w // 2 + 1), m, axes=(1, 2))
    y = keras.ops.convert_to_numpy(kops.irfftn(full, s=(h, w), axes=(1, 2)))
    # numpy reference: same modes placed in a zero (h, w//2+1) spectrum
    ref = np.zeros((2, h, w // 2 + 1, 3), complex)
    z = np.fft.rfftn(x, axes=(1, 2))
    ref[:, :m, :m] = z[:, :m, :m]
    ref[:, -m:, :m] = z[:, -m:, :m]
    np.testing.assert_allclose(y, np.fft.irfftn(ref, s=(h, w), axes=(1, 2)), atol=1e-10)
    if (h, w) == (10, 10):
        np.testing.assert_allclose(y, x, atol=1e-10)


def test_pad_modes_exact_size_is_identity_on_kept_entries():
    z = np.arange(2 * 4 * 3, dtype=float).reshape(2, 4, 3)
    got = kops.pad_modes((z, -z), (4, 3), (2, 3), axes=(1, 2))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(got[0]), z)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(got[1]), -z)


def test_truncate_and_pad_of_rearranged_parts():
    """Parts that are not the plain (re, im) of one spectrum: swapped, or cropped.

    (torch runs truncation and padding on the complex tensor when the pair is
    exactly the two parts of one; these pairs must take the general path.)
    """
    x = np.random.default_rng(2).normal(size=(2, 10, 9, 3))
    re, im = kops.rfftn(x, axes=(1, 2))
    z = np.fft.rfftn(x, axes=(1, 2))
    swapped = to_complex(kops.truncate_modes((im, re), 2, (1, 2)))
    expected = np.concatenate([z[:, :2], z[:, -2:]], axis=1)[:, :, :2]
    np.testing.assert_allclose(swapped, expected.imag + 1j * expected.real, atol=1e-10)
    cropped = to_complex(kops.truncate_modes((re[:, 1:], im[:, 1:]), 2, (1, 2)))
    expected = np.concatenate([z[:, 1:3], z[:, -2:]], axis=1)[:, :, :2]
    np.testing.assert_allclose(cropped, expected, atol=1e-10)
    kept = kops.truncate_modes((re, im), 2, (1, 2))
    full = to_complex(kops.pad_modes(kept, (12, 5), 2, (1, 2)))
    assert full.shape == (2, 12, 5, 3)
    np.testing.assert_allclose(full[:, :2, :2], z[:, :2, :2], atol=1e-10)
    np.testing.assert_allclose(full[:, -2:, :2], z[:, -2:, :2], atol=1e-10)
    assert np.all(full[:, 2:-2] == 0) and np.all(full[:, :, 2:] == 0)
