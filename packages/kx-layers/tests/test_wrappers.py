"""Wrappers: harness inside saved models, equations, gradients, bad arguments."""

import keras
import numpy as np
import pytest

from kx.layers import (
    CBAM,
    ChannelAttention,
    FiLM,
    Residual,
    SpatialAttention,
    TemporalSlice,
    WeightNormalization,
)
from kx.ops.testing import run_layer_test


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _config(class_name, **config):
    """A layer's serialized form without a dtype: it takes the wrapper's policy."""
    return {"class_name": class_name, "module": "keras.layers", "config": config}


CONV1D = _config("Conv1D", filters=3, kernel_size=3, padding="same")
X = np.random.default_rng(0).standard_normal((2, 8, 3)).astype("float32")


@pytest.mark.parametrize(
    "cls, kwargs, shape, out_shape, n_weights, params",
    [
        (Residual, {"layer": CONV1D}, (2, 8, 3), (2, 8, 3), 2, 30),
        (
            Residual,
            {
                "layer": CONV1D,
                "merge_layer": "concatenate",
                "residual_layer": _config("Conv1D", filters=2, kernel_size=1),
            },
            (2, 8, 3),
            (2, 8, 5),
            4,
            30 + 8,
        ),
        # 30 + two MLPs of (5*4 + 4) + (4*3 + 3)
        (
            FiLM,
            {"layer": CONV1D, "num_hidden": 4},
            [(2, 8, 3), (2, 5)],
            (2, 8, 3),
            10,
            108,
        ),
        (
            WeightNormalization,
            {"layer": _config("Dense", units=3)},
            (2, 4),
            (2, 3),
            3,
            18,
        ),
        (
            TemporalSlice,
            {"layer": _config("Conv1D", filters=2, kernel_size=3), "window_size": 4},
            (2, 6, 5),
            (2, 4, 4),
            2,
            26,
        ),
        # conv 30 + attention: q,k of 2 heads*2 dims: 2*(3*4+4); v: 3*2+2=... below
        (
            SpatialAttention,
            {"layer": CONV1D, "num_heads": 2, "key_dim": 2, "value_dim": 2},
            (2, 8, 3),
            (2, 8, 3),
            10,
            30 + 2 * (3 * 4 + 4) + (3 * 4 + 4) + (4 * 3 + 3),
        ),
        (
            ChannelAttention,
            {"layer": CONV1D, "num_heads": 1, "key_dim": 2, "value_dim": 2},
            (2, 8, 3),
            (2, 8, 3),
            10,
            30 + 3 * (8 * 2 + 2) + (2 * 8 + 8),
        ),
        (
            CBAM,
            {
                "layer": _config("Conv2D", filters=4, kernel_size=1),
                "reduction_ratio": 2,
                "kernel_size": 3,
            },
            (1, 5, 5, 2),
            (1, 5, 5, 4),
            8,
            12 + (4 * 2 + 2) + (2 * 4 + 4) + (3 * 3 * 2 + 1),
        ),
    ],
)
def test_harness(cls, kwargs, shape, out_shape, n_weights, params):
    exempt = None
    if cls is FiLM:
        # FiLM's output layers start at zero (the identity modulation), so no
        # gradient reaches its hidden layers in the first step
        exempt = {"_hidden/": "zero-initialised output layers above them"}
    run_layer_test(
        cls,
        init_kwargs=kwargs,
        gradient_exempt=exempt,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=n_weights,
        expected_num_non_trainable_weights=0,
        expected_num_params=params,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def test_wrapped_layer_instance_saves_with_the_model(tmp_path):
    inputs = keras.Input((8, 3))
    outputs = Residual(keras.layers.Conv1D(3, 3, padding="same"))(inputs)
    model = keras.Model(inputs, outputs)
    model.save(tmp_path / "m.keras")
    revived = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        revived.predict(X, verbose=0), model.predict(X, verbose=0)
    )


def test_residual_equations():
    inner = keras.layers.Conv1D(3, 3, padding="same")
    np.testing.assert_allclose(_np(Residual(inner)(X)), _np(inner(X)) + X, atol=1e-6)
    skip = keras.layers.Dense(3)
    y = _np(Residual(inner, merge_layer="subtract", residual_layer=skip)(X))
    np.testing.assert_allclose(y, _np(inner(X)) - _np(skip(X)), atol=1e-6)


def test_film_equation_and_two_argument_call():
    inner = keras.layers.Dense(3)
    film = FiLM(inner, num_hidden=4)
    cond = np.random.default_rng(1).standard_normal((2, 5)).astype("float32")
    np.testing.assert_allclose(_np(film([X, cond])), _np(inner(X)), atol=1e-6)
    rng = np.random.default_rng(2)
    for weight in film.trainable_weights:
        if weight.path.startswith(film.name):
            weight.assign(rng.standard_normal(weight.shape).astype("float32"))
    gamma_h, gamma = film._mlps["gamma"]
    beta_h, beta = film._mlps["beta"]

    def mlp(hidden, out):
        h = np.maximum(cond @ _np(hidden.kernel) + _np(hidden.bias), 0)
        return h @ _np(out.kernel) + _np(out.bias)

    ref = (
        _np(inner(X)) * (1 + mlp(gamma_h, gamma)[:, None]) + mlp(beta_h, beta)[:, None]
    )
    np.testing.assert_allclose(_np(film([X, cond])), ref, atol=1e-5)
    np.testing.assert_allclose(_np(film(X, conditioning_inputs=cond)), ref, atol=1e-5)


def test_weight_normalization_equation_and_gradients(gradient_check):
    inner = keras.layers.Dense(3)
    layer = WeightNormalization(inner)
    x = X[:, 0]
    np.testing.assert_allclose(_np(layer(x)), _np(inner(x)), atol=1e-5)
    layer.g.assign(np.array([0.5, 2.0, -1.0], "float32"))
    v = _np(inner.kernel)
    w = v / np.linalg.norm(v, axis=0) * np.array([0.5, 2.0, -1.0])
    np.testing.assert_allclose(_np(layer(x)), x @ w + _np(inner.bias), atol=1e-5)
    conv = WeightNormalization(
        keras.layers.Conv1D(2, 3, dtype="float64"), dtype="float64"
    )
    gradient_check(conv, np.random.default_rng(0).standard_normal((2, 6, 2)))


def test_temporal_slice_runs_the_layer_on_each_window():
    inner = keras.layers.Dense(2)
    layer = TemporalSlice(inner, window_size=4, strides=2)
    x = np.random.default_rng(0).standard_normal((2, 3, 9)).astype("float32")
    y = _np(layer(x))
    ref = np.concatenate([_np(inner(x[..., k : k + 4])) for k in (0, 2, 4)], axis=-1)
    np.testing.assert_allclose(y, ref, atol=1e-6)
    axis1 = TemporalSlice(keras.layers.Conv1D(2, 3), window_size=5, axis=1)
    assert tuple(axis1(np.ones((2, 10, 3), "float32")).shape) == (2, 18, 2)


@pytest.mark.parametrize("cls", [SpatialAttention, ChannelAttention])
def test_attention_wrappers_add_attention_to_the_output(cls):
    inner = keras.layers.Conv1D(4, 1)
    layer = cls(inner, num_heads=2, key_dim=3, value_dim=3)
    y = _np(layer(X))
    out = _np(inner(X))
    tokens = out if cls is SpatialAttention else np.swapaxes(out, 1, 2)
    att = _np(layer.attention(tokens, tokens))
    att = att if cls is SpatialAttention else np.swapaxes(att, 1, 2)
    np.testing.assert_allclose(y, out + att, atol=1e-5)


def test_cbam_equation():
    inner = keras.layers.Conv2D(4, 1)
    layer = CBAM(inner, reduction_ratio=2, kernel_size=3)
    x = np.random.default_rng(0).standard_normal((1, 5, 5, 2)).astype("float32")
    y = _np(layer(x))
    out = _np(inner(x))
    out = out * _np(layer.channel_module(out))
    pooled = np.concatenate(
        [out.mean(-1, keepdims=True), out.max(-1, keepdims=True)], axis=-1
    )
    conv = keras.ops.conv(
        pooled, np.transpose(_np(layer.spatial_kernel), (2, 3, 1, 0)), padding="same"
    )
    ref = out / (1 + np.exp(-(_np(conv) + _np(layer.spatial_bias))))
    np.testing.assert_allclose(y, ref, atol=1e-5)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: Residual("dense"), "layer"),
        (lambda: Residual(keras.layers.Dense(2), merge_layer="dot"), "merge_layer"),
        (lambda: Residual(keras.layers.Dense(2), residual_layer=3), "residual_layer"),
        (lambda: Residual({"class_name": "NoSuchLayer", "config": {}}), "layer"),
        (lambda: FiLM(keras.layers.Dense(2), num_hidden=0), "num_hidden"),
        (lambda: WeightNormalization(keras.layers.Dense(2), epsilon=-1.0), "epsilon"),
        (lambda: TemporalSlice(keras.layers.Dense(2), window_size=0), "window_size"),
        (lambda: TemporalSlice(keras.layers.Dense(2), 2, strides=0), "strides"),
        (lambda: TemporalSlice(keras.layers.Dense(2), 2, axis=0), "axis"),
        (lambda: SpatialAttention(keras.layers.Dense(2), num_heads=0), "num_heads"),
        (lambda: SpatialAttention(keras.layers.Dense(2), dropout=1.5), "dropout"),
        (lambda: ChannelAttention(keras.layers.Dense(2), key_dim=-1), "key_dim"),
        (lambda: CBAM(keras.layers.Conv2D(2, 1), reduction_ratio=0), "reduction_ratio"),
        (lambda: CBAM(keras.layers.Conv2D(2, 1), kernel_size=0), "kernel_size"),
        (lambda: CBAM(keras.layers.Conv2D(2, 1), kernel_size="3"), "kernel_size"),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs():
    with pytest.raises(ValueError, match="residual_layer"):
        Residual(keras.layers.Dense(4))(X)
    with pytest.raises(ValueError, match="kernel"):
        WeightNormalization(keras.layers.ReLU())(X)
    with pytest.raises(ValueError, match="window_size"):
        TemporalSlice(keras.layers.Dense(2), window_size=5)(X)
    with pytest.raises(ValueError, match="1D to 3D"):
        CBAM(keras.layers.Dense(2))(X[:, 0])
    with pytest.raises(ValueError, match="conditioning"):
        FiLM(keras.layers.Dense(2))(X)
    inputs = keras.Input((None, 3))
    with pytest.raises(ValueError, match="spatial sizes"):
        ChannelAttention(keras.layers.Dense(2))(inputs)
