"""SpectralConv and FNO layers: harness, numpy reference, symmetries, gradients."""

import math

import keras
import numpy as np
import pytest

from kx.layers import (
    FNO,
    FNO1D,
    FNO2D,
    SpectralConv,
    SpectralConv1D,
    SpectralConv2D,
    SpectralConv3D,
)
from kx.ops.testing import run_layer_test


def _np(x):
    return keras.ops.convert_to_numpy(x)


def numpy_spectral_conv(x, w, bias, modes, channels_first=False):
    """Li et al. (2021) spectral convolution written out with numpy.fft.

    ``w`` has shape ``(*kept, in, out)``; on every axis but the last the kept
    frequencies are ``0..m-1`` then ``-m..-1``; on the last ``0..m-1``.
    """
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    rank = x.ndim - 2
    axes = tuple(range(1, rank + 1))
    spectrum = np.fft.rfftn(x, axes=axes)
    out = np.zeros((*spectrum.shape[:-1], w.shape[-1]), dtype=complex)
    index_lists = []
    for i, m in enumerate(modes):
        if i == rank - 1:
            index_lists.append([(k, k) for k in range(m)])
        else:
            index_lists.append(
                [(k, k) for k in range(m)] + [(-m + j, m + j) for j in range(m)]
            )
    for combo in np.ndindex(*[len(lst) for lst in index_lists]):
        freq = tuple(index_lists[a][c][0] for a, c in enumerate(combo))
        kept = tuple(index_lists[a][c][1] for a, c in enumerate(combo))
        sl = (slice(None), *freq)
        out[sl] = spectrum[sl] @ w[kept]
    y = np.fft.irfftn(out, s=x.shape[1:-1], axes=axes) + bias
    return np.moveaxis(y, -1, 1) if channels_first else y


def _kernel(layer):
    return _np(layer.real_kernel) + 1j * _np(layer.imag_kernel)


# ---------------------------------------------------------------- harness


@pytest.mark.parametrize(
    "cls, kwargs, shape, out_shape, params",
    [
        (
            SpectralConv1D,
            {"filters": 3, "modes": 3},
            (2, 10, 2),
            (2, 10, 3),
            2 * 18 + 3,
        ),
        (
            SpectralConv2D,
            {"filters": 2, "modes": (2, 3), "data_format": "channels_first"},
            (2, 3, 6, 7),
            (2, 2, 6, 7),
            2 * (4 * 3 * 3 * 2) + 2,
        ),
        (
            SpectralConv,
            {"rank": 3, "filters": 2, "modes": 2, "use_bias": False},
            (1, 4, 4, 4, 2),
            (1, 4, 4, 4, 2),
            2 * (4 * 4 * 2 * 2 * 2),
        ),
    ],
)
def test_spectral_conv_harness(cls, kwargs, shape, out_shape, params):
    run_layer_test(
        cls,
        init_kwargs=kwargs,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=3 if kwargs.get("use_bias", True) else 2,
        expected_num_non_trainable_weights=0,
        expected_num_params=params,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


@pytest.mark.parametrize(
    "cls, kwargs, shape, out_shape, params",
    [
        # spectral 2*(3*2*4) + 4, bypass 2*4 + 4
        (FNO1D, {"filters": 4, "modes": 3}, (2, 12, 2), (2, 12, 4), 48 + 4 + 12),
        (
            FNO2D,
            {
                "filters": 2,
                "modes": 2,
                "merge_layer": "concatenate",
                "kernel_initializer": ["glorot_normal", "zeros"],
                "data_format": "channels_first",
            },
            (2, 3, 6, 6),
            (2, 4, 6, 6),
            2 * (4 * 2 * 3 * 2) + 2 + 3 * 2 + 2,
        ),
        (
            FNO,
            {
                "rank": 3,
                "filters": 2,
                "modes": 1,
                "domain_padding": 0.25,
                "activation": "relu",
            },
            (1, 4, 4, 4, 2),
            (1, 4, 4, 4, 2),
            2 * (2 * 2 * 1 * 2 * 2) + 2 + 2 * 2 + 2,
        ),
        # output resampled: same weights as at the input size
        (
            FNO1D,
            {"filters": 4, "modes": 3, "output_scaling_factor": 2},
            (2, 12, 2),
            (2, 24, 4),
            48 + 4 + 12,
        ),
        (
            FNO2D,
            {"filters": 2, "modes": 2, "output_scaling_factor": (2, 0.5)},
            (1, 6, 8, 2),
            (1, 12, 4, 2),
            2 * (4 * 2 * 2 * 2) + 2 + 2 * 2 + 2,
        ),
    ],
)
def test_fno_harness(cls, kwargs, shape, out_shape, params):
    run_layer_test(
        cls,
        init_kwargs=kwargs,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=5,
        expected_num_non_trainable_weights=0,
        expected_num_params=params,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def test_kerex_readme_example():
    layer = FNO1D(filters=8, modes=8)
    layer.build(input_shape=(None, 32, 3))
    y = layer(keras.ops.ones((1, 32, 3)))
    assert tuple(y.shape) == (1, 32, 8)


# ---------------------------------------------------------- numpy reference


@pytest.mark.parametrize(
    "cls, modes, shape, channels_first",
    [
        (SpectralConv1D, (4,), (2, 11, 3), False),
        (SpectralConv2D, (2, 3), (2, 3, 8, 9), True),
        (SpectralConv3D, (1, 2, 2), (1, 4, 5, 6, 2), False),
    ],
)
def test_spectral_conv_matches_numpy(cls, modes, shape, channels_first):
    keras.utils.set_random_seed(1)
    layer = cls(
        filters=3,
        modes=modes,
        bias_initializer="random_normal",
        data_format="channels_first" if channels_first else "channels_last",
    )
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    y = _np(layer(x))
    ref = numpy_spectral_conv(
        x.astype("float64"), _kernel(layer), _np(layer.bias), modes, channels_first
    )
    np.testing.assert_allclose(y, ref, atol=2e-5, rtol=1e-4)
    assert _np(layer.bias).shape == (3,)


def test_fno_is_activation_of_spectral_plus_bypass():
    keras.utils.set_random_seed(2)
    layer = FNO1D(filters=3, modes=2, bias_initializer="random_normal")
    x = np.random.default_rng(0).standard_normal((2, 9, 2)).astype("float32")
    y = _np(layer(x))
    spectral = numpy_spectral_conv(
        x.astype("float64"),
        _kernel(layer.spectral_conv),
        _np(layer.spectral_conv.bias),
        (2,),
    )
    bypass = x @ _np(layer.bypass_kernel) + _np(layer.bypass_bias)
    z = spectral + bypass
    gelu = 0.5 * z * (1 + np.vectorize(math.erf)(z / np.sqrt(2)))
    np.testing.assert_allclose(y, gelu, atol=3e-5, rtol=1e-4)


# ---------------------------------------------------------------- symmetries


@pytest.mark.parametrize(
    "cls, shape, shift",
    [(FNO1D, (2, 16, 2), (5,)), (FNO2D, (1, 8, 10, 2), (3, -4))],
)
def test_fno_shift_equivariance(cls, shape, shift):
    layer = cls(filters=3, modes=3, bias_initializer="random_normal")
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    axes = tuple(range(1, len(shape) - 1))
    shifted = _np(layer(np.roll(x, shift, axis=axes)))
    np.testing.assert_allclose(
        shifted, np.roll(_np(layer(x)), shift, axis=axes), atol=2e-5
    )


@pytest.mark.parametrize(
    "cls, modes, shape",
    [(SpectralConv1D, (3,), (2, 20, 2)), (SpectralConv2D, (2, 3), (1, 12, 14, 2))],
)
def test_truncation_no_energy_above_kept_modes(cls, modes, shape):
    layer = cls(filters=2, modes=modes, use_bias=False)
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    axes = tuple(range(1, len(shape) - 1))
    spectrum = np.abs(np.fft.rfftn(_np(layer(x)).astype("float64"), axes=axes))
    grids = np.ix_(*[np.arange(s) for s in spectrum.shape])
    kept = np.ones(spectrum.shape, dtype=bool)
    for i, (axis, m) in enumerate(zip(axes, modes)):
        g, n = grids[axis], spectrum.shape[axis]
        # irfftn makes the last-axis-0 plane Hermitian, mirroring the kept -m onto
        # +m there: the band is |k| <= m on full axes, k < m on the last axis
        kept &= (g < m) if i == len(axes) - 1 else ((g <= m) | (g >= n - m))
    assert spectrum[kept].max() > 1e-2
    assert spectrum[~kept].max() < 1e-4 * spectrum[kept].max()


# ---------------------------------------------------- resolution independence


def _band_limited(n, channels, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / n
    x = np.zeros((2, n, channels))
    for k in range(4):
        a, b = rng.standard_normal((2, 2, channels))
        x += a[:, None] * np.cos(2 * np.pi * k * t)[None, :, None]
        x += b[:, None] * np.sin(2 * np.pi * k * t)[None, :, None]
    return x.astype("float32")


def test_functional_model_with_none_spatial_dims():
    inputs = keras.Input((None, 2))
    outputs = FNO1D(filters=3, modes=4)(FNO1D(filters=3, modes=4)(inputs))
    model = keras.Model(inputs, outputs)
    for n in (9, 16, 33):
        assert tuple(model.predict(np.ones((2, n, 2), "float32"), verbose=0).shape) == (
            2,
            n,
            3,
        )
    inputs2 = keras.Input((None, None, 1))
    model2 = keras.Model(inputs2, FNO2D(2, 2)(inputs2))
    assert model2.predict(np.ones((1, 7, 10, 1), "float32"), verbose=0).shape == (
        1,
        7,
        10,
        2,
    )


def test_train_at_64_evaluate_at_128():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((None, 2))
    x = FNO1D(filters=4, modes=8)(inputs)
    outputs = SpectralConv1D(filters=1, modes=8)(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    coarse = _band_limited(64, 2)
    model.fit(coarse, coarse[..., :1], epochs=2, verbose=0)
    fine = _band_limited(128, 2)
    y64 = model.predict(coarse, verbose=0)
    y128 = model.predict(fine, verbose=0)
    assert y128.shape == (2, 128, 1)
    # the first layer is exact on band-limited inputs; the gelu adds harmonics
    # that the second layer's kept modes see aliased differently, so compare loosely
    np.testing.assert_allclose(y128[:, ::2], y64, atol=5e-2 * np.abs(y64).max())


def test_spectral_conv_exact_across_resolutions():
    layer = SpectralConv1D(filters=2, modes=5, bias_initializer="random_normal")
    y32 = _np(layer(_band_limited(32, 3)))
    y96 = _np(layer(_band_limited(96, 3)))
    np.testing.assert_allclose(y96[:, ::3], y32, atol=1e-5)


def _band_limited_2d(shape, channels, seed=0):
    """A random trigonometric polynomial (|frequency| < 3 per axis) on a grid."""
    rng = np.random.default_rng(seed)
    t = [np.arange(n)[:, None] / n for n in shape]
    x = np.zeros((1, *shape, channels))
    for k1 in range(-2, 3):
        for k2 in range(3):
            a, b = rng.standard_normal((2, channels))
            phase = 2 * np.pi * (k1 * t[0] + k2 * t[1].T)
            x += a * np.cos(phase)[None, ..., None]
            x += b * np.sin(phase)[None, ..., None]
    return x.astype("float32")


def test_spectral_conv_output_scaling_equals_finer_grid():
    """Coarse input resampled x2 == the equation evaluated on the fine grid."""
    layer = SpectralConv1D(
        2, 4, output_scaling_factor=2, bias_initializer="random_normal"
    )
    coarse, fine = _band_limited(16, 3), _band_limited(32, 3)
    y = _np(layer(coarse))
    assert y.shape == (2, 32, 2)
    expected = numpy_spectral_conv(fine, _kernel(layer), _np(layer.bias), (4,))
    np.testing.assert_allclose(y, expected, atol=1e-4)


def test_spectral_conv_per_axis_scaling_matches_numpy():
    """(2, 0.5): the output is the fine-grid equation on a 16 x 8 grid."""
    layer = SpectralConv2D(
        2, 3, output_scaling_factor=(2, 0.5), bias_initializer="random_normal"
    )
    y = _np(layer(_band_limited_2d((8, 16), 2)))
    assert y.shape == (1, 16, 8, 2)
    fine = _band_limited_2d((16, 16), 2)
    expected = numpy_spectral_conv(fine, _kernel(layer), _np(layer.bias), (3, 3))
    np.testing.assert_allclose(y, expected[:, :, ::2], atol=1e-4)


@pytest.mark.parametrize("factor", [2, 1.5])
def test_fno_output_scaling_equals_finer_grid(factor):
    """Both paths resampled: with a linear activation, FNO(coarse) upsampled ==
    the same FNO (same weights, no scaling) applied to the finely sampled input."""
    kwargs = {"activation": "linear", "bias_initializer": "random_normal"}
    scaled = FNO1D(3, 4, output_scaling_factor=factor, **kwargs)
    plain = FNO1D(3, 4, **kwargs)
    coarse, fine = _band_limited(16, 2), _band_limited(round(16 * factor), 2)
    y = _np(scaled(coarse))
    plain.build(fine.shape)
    plain.set_weights(scaled.get_weights())
    np.testing.assert_allclose(y, _np(plain(fine)), atol=1e-4)
    # and the bypass alone is the band-limited input's channel mix on the fine grid
    w = _np(scaled.bypass_kernel)
    bypass = fine @ w + _np(scaled.bypass_bias)
    spectral = numpy_spectral_conv(
        fine, _kernel(scaled.spectral_conv), _np(scaled.spectral_conv.bias), (4,)
    )
    np.testing.assert_allclose(y, spectral + bypass, atol=1e-4)


# ----------------------------------------------------------------- gradients


@pytest.mark.parametrize(
    "layer_fn, shape",
    [
        (lambda: SpectralConv1D(2, 3, dtype="float64"), (2, 8, 2)),
        (
            lambda: SpectralConv2D(
                2, (2, 2), data_format="channels_first", dtype="float64"
            ),
            (1, 2, 5, 6),
        ),
        (lambda: FNO1D(2, 2, dtype="float64", domain_padding=0.5), (2, 7, 2)),
    ],
)
def test_gradients_match_finite_differences(layer_fn, shape, gradient_check):
    x = np.random.default_rng(3).standard_normal(shape)
    gradient_check(layer_fn(), x)


# -------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"filters": 0, "modes": 2}, "filters"),
        ({"filters": 2.5, "modes": 2}, "filters"),
        ({"filters": 2, "modes": 0}, "modes"),
        ({"filters": 2, "modes": (2, 2)}, "modes"),
        ({"filters": 2, "modes": "a"}, "modes"),
        ({"filters": 2, "modes": 2, "data_format": "nhwc"}, "data_format"),
        ({"filters": 2, "modes": 2, "kernel_initializer": ["a", "b", "c"]}, "kernel"),
        ({"filters": 2, "modes": 2, "output_scaling_factor": [2, 2]}, "output_scaling"),
    ],
)
def test_spectral_conv_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SpectralConv1D(**kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"merge_layer": "concat"}, "merge_layer"),
        ({"domain_padding": -0.1}, "domain_padding"),
        ({"domain_padding": "a"}, "domain_padding"),
        ({"activation": "no_such_activation"}, "no_such_activation"),
        ({"output_scaling_factor": 0}, "output_scaling_factor"),
        ({"output_scaling_factor": -2.0}, "output_scaling_factor"),
        ({"output_scaling_factor": float("inf")}, "output_scaling_factor"),
        ({"output_scaling_factor": True}, "output_scaling_factor"),
        ({"output_scaling_factor": "2"}, "output_scaling_factor"),
        ({"output_scaling_factor": (2, 2)}, "output_scaling_factor"),
    ],
)
def test_fno_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        FNO1D(filters=2, modes=2, **kwargs)


def test_too_small_inputs_are_rejected():
    with pytest.raises(ValueError, match="modes"):
        SpectralConv1D(2, 6).build((None, 8, 2))
    with pytest.raises(ValueError, match="modes"):
        SpectralConv2D(2, 3).build((None, 5, 16, 2))
    layer = SpectralConv1D(2, 4)
    layer.build((None, None, 2))
    with pytest.raises(ValueError, match="modes"):
        layer(np.ones((1, 4, 2), "float32"))
    with pytest.raises(ValueError, match="modes"):
        FNO2D(2, 4)(np.ones((1, 6, 16, 2), "float32"))
    # the resampled output must still hold the kept modes
    with pytest.raises(ValueError, match="modes"):
        FNO1D(2, 4, output_scaling_factor=0.25).build((None, 16, 2))


def test_bad_input_shapes_are_rejected():
    with pytest.raises(ValueError, match="dimensions"):
        SpectralConv2D(2, 2).build((None, 8, 2))
    with pytest.raises(ValueError, match="channel"):
        SpectralConv1D(2, 2).build((None, 8, None))
