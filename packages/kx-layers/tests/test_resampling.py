"""FFTUpSampling and SmoothUpSampling: harness, exactness, bad arguments."""

import keras
import numpy as np
import pytest

from kx.layers import (
    FFTUpSampling,
    FFTUpSampling1D,
    FFTUpSampling2D,
    SmoothUpSampling,
    SmoothUpSampling1D,
    SmoothUpSampling2D,
)
from kx.ops.testing import run_layer_test


def _np(x):
    return keras.ops.convert_to_numpy(x)


@pytest.mark.parametrize(
    "cls, kwargs, shape, out_shape",
    [
        (FFTUpSampling1D, {"size": 2}, (2, 6, 3), (2, 12, 3)),
        (
            FFTUpSampling2D,
            {"target_size": (5, 4), "data_format": "channels_first"},
            (2, 3, 8, 6),
            (2, 3, 5, 4),
        ),
        (
            FFTUpSampling,
            {"rank": 3, "size": (1, 2, 2)},
            (1, 4, 4, 4, 1),
            (1, 4, 8, 8, 1),
        ),
    ],
)
def test_fft_upsampling_harness(cls, kwargs, shape, out_shape):
    run_layer_test(
        cls,
        init_kwargs=kwargs,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=0,
        expected_num_params=0,
        run_training_check=False,  # no weights to train
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def _signal(t, u, seed=0):
    """A band-limited periodic signal (frequencies < 3) on grids t and u."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((3, 3, 2))
    out = np.zeros((len(t), len(u), 2))
    for k in range(3):
        for j in range(3):
            phase = 2 * np.pi * (k * t[:, None] + j * u[None, :])
            out += a[k, j] * np.cos(phase)[..., None]
    return out[None].astype("float32")


@pytest.mark.parametrize("n_in, n_out", [((8, 10), (16, 15)), ((12, 12), (7, 8))])
def test_fft_resampling_is_exact_for_band_limited_signals(n_in, n_out):
    grid = [np.arange(n) / n for n in n_in]
    target = [np.arange(n) / n for n in n_out]
    y = _np(FFTUpSampling2D(target_size=n_out)(_signal(*grid)))
    np.testing.assert_allclose(y, _signal(*target), atol=2e-5)


def test_fft_upsampling_keeps_the_samples():
    x = np.random.default_rng(0).standard_normal((2, 9, 2)).astype("float32")
    # odd size: frequencies up to 3 of 4 are kept, so compare on a smooth input
    smooth = _np(FFTUpSampling1D(target_size=9)(x))
    up = _np(FFTUpSampling1D(size=3)(smooth))
    np.testing.assert_allclose(up[:, ::3], smooth, atol=1e-5)


def test_smooth_upsampling_is_conv_of_upsampling():
    layer = SmoothUpSampling2D(
        3, 3, size=(2, 3), padding="same", interpolation="bilinear"
    )
    x = np.random.default_rng(0).standard_normal((1, 4, 5, 2)).astype("float32")
    y = _np(layer(x))
    ref = _np(
        layer.conv(keras.layers.UpSampling2D((2, 3), interpolation="bilinear")(x))
    )
    np.testing.assert_allclose(y, ref, atol=1e-6)
    assert y.shape == (1, 8, 15, 3)


def test_smooth_upsampling_channels_first_matches_channels_last():
    last = SmoothUpSampling1D(2, 3, padding="same")
    first = SmoothUpSampling1D(2, 3, padding="same", data_format="channels_first")
    x = np.random.default_rng(0).standard_normal((2, 5, 3)).astype("float32")
    y_last = _np(last(x))
    first(np.swapaxes(x, 1, 2))
    first.set_weights(last.get_weights())
    y_first = _np(first(np.swapaxes(x, 1, 2)))
    np.testing.assert_allclose(np.swapaxes(y_first, 1, 2), y_last, atol=1e-5)


@pytest.mark.parametrize(
    "cls, kwargs, shape, out_shape, params",
    [
        (
            SmoothUpSampling1D,
            {"filters": 2, "kernel_size": 3},
            (2, 5, 3),
            (2, 8, 2),
            20,
        ),
        (
            SmoothUpSampling2D,
            {
                "filters": 2,
                "kernel_size": 3,
                "padding": "same",
            },
            (2, 4, 4, 3),
            (2, 8, 8, 2),
            56,
        ),
        (
            SmoothUpSampling,
            {"rank": 3, "filters": 1, "kernel_size": 1, "size": 2},
            (1, 2, 2, 2, 2),
            (1, 4, 4, 4, 1),
            3,
        ),
    ],
)
def test_smooth_upsampling_harness(cls, kwargs, shape, out_shape, params):
    run_layer_test(
        cls,
        init_kwargs=kwargs,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=2,
        expected_num_params=params,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({}, "exactly one"),
        ({"size": 2, "target_size": 4}, "exactly one"),
        ({"size": 0}, "size"),
        ({"size": (2, 2)}, "size"),
        ({"target_size": -3}, "target_size"),
        ({"size": 2, "data_format": "x"}, "data_format"),
    ],
)
def test_fft_upsampling_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        FFTUpSampling1D(**kwargs)


def test_fft_upsampling_bad_inputs():
    with pytest.raises(ValueError, match=">= 2"):
        FFTUpSampling1D(size=2).build((None, 1, 3))
    with pytest.raises(ValueError, match="dimensions"):
        FFTUpSampling2D(size=2).build((None, 8, 3))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"filters": 2, "kernel_size": 3, "size": 0}, "size"),
        ({"filters": 2, "kernel_size": 3, "interpolation": "bilinear"}, "interp"),
        ({"filters": 2, "kernel_size": 3, "padding": "middle"}, "padding"),
        ({"filters": 0, "kernel_size": 3}, "filters"),
    ],
)
def test_smooth_upsampling_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SmoothUpSampling1D(**kwargs)
