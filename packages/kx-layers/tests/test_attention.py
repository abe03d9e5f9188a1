"""AttentionGate, ChannelAttentionModule, AttentionPooling: harness and equations."""

import keras
import numpy as np
import pytest

from kx.layers import (
    AttentionGate,
    AttentionPooling,
    AttentionPooling1D,
    AttentionPooling2D,
    ChannelAttentionModule,
    ChannelAttentionModule1D,
    ChannelAttentionModule2D,
)
from kx.ops.testing import run_layer_test


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize(
    "kwargs, shapes, params",
    [
        # conv_x 2->3, conv_g 3->3, psi 3->2
        ({}, [(2, 6, 2), (2, 6, 3)], (2 * 3 + 3) + (3 * 3 + 3) + (3 * 2 + 2)),
        ({"merge_layer": "multiply"}, [(1, 3, 4, 2), (1, 3, 4, 1)], 3 + 2 + 4),
    ],
)
def test_attention_gate_harness(kwargs, shapes, params):
    run_layer_test(
        AttentionGate,
        init_kwargs=kwargs,
        input_shape=shapes,
        expected_output_shape=shapes[0],
        expected_num_trainable_weights=6,
        expected_num_params=params,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def test_attention_gate_equation():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 5, 2)).astype("float32")
    g = rng.standard_normal((2, 5, 3)).astype("float32")
    gate = AttentionGate()
    y = _np(gate([x, g]))

    def conv(layer, a):
        return a @ _np(layer.kernel)[0] + _np(layer.bias)

    alpha = np.maximum(conv(gate.conv_x, x) + conv(gate.conv_g, g), 0)
    np.testing.assert_allclose(y, x * _sigmoid(conv(gate.psi, alpha)), atol=1e-5)


@pytest.mark.parametrize(
    "cls, kwargs, shape, out_shape",
    [
        (ChannelAttentionModule1D, {"reduction_ratio": 2}, (2, 5, 4), (2, 1, 4)),
        (
            ChannelAttentionModule2D,
            {"keepdims": False, "data_format": "channels_first"},
            (2, 4, 3, 3),
            (2, 4),
        ),
        (
            ChannelAttentionModule,
            {"rank": 3, "reduction_ratio": 4},
            (1, 2, 2, 2, 4),
            (1, 1, 1, 1, 4),
        ),
    ],
)
def test_channel_attention_module_harness(cls, kwargs, shape, out_shape):
    channels = 4
    hidden = max(1, channels // kwargs.get("reduction_ratio", 8))
    # one hidden ReLU unit can be dead for the whole (small) batch: then nothing
    # below the ReLU gets a gradient in that step
    exempt = {"/hidden/": "a single ReLU unit", "/out/kernel": "a single ReLU unit"}
    run_layer_test(
        cls,
        init_kwargs=kwargs,
        gradient_exempt=exempt if hidden == 1 else None,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=4,
        expected_num_params=channels * hidden + hidden + hidden * channels + channels,
    )


def test_channel_attention_module_equation():
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 4)).astype("float32")
    layer = ChannelAttentionModule2D(reduction_ratio=2)
    y = _np(layer(x))

    def mlp(p):
        h = np.maximum(p @ _np(layer.hidden.kernel) + _np(layer.hidden.bias), 0)
        return h @ _np(layer.out.kernel) + _np(layer.out.bias)

    ref = _sigmoid(mlp(x.mean((1, 2))) + mlp(x.max((1, 2))))
    np.testing.assert_allclose(y[:, 0, 0], ref, atol=1e-5)


@pytest.mark.parametrize(
    "cls, kwargs, shape, out_shape",
    [
        (AttentionPooling1D, {"num_queries": 2, "num_heads": 1}, (2, 5, 4), (2, 8)),
        (
            AttentionPooling2D,
            {"num_queries": 3, "num_heads": 2, "flatten": False},
            (2, 3, 3, 4),
            (2, 3, 4),
        ),
        (
            AttentionPooling,
            {
                "rank": 3,
                "num_queries": 1,
                "num_heads": 1,
                "data_format": "channels_first",
            },
            (1, 4, 2, 2, 2),
            (1, 4),
        ),
    ],
)
def test_attention_pooling_harness(cls, kwargs, shape, out_shape):
    q, h, c = kwargs["num_queries"], kwargs["num_heads"], 4
    # queries + multi-head attention (q, k, v: c -> h x c; output: h x c -> c)
    params = q * c + 3 * (c * h * c + h * c) + (h * c * c + c)
    run_layer_test(
        cls,
        init_kwargs=kwargs,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=9,
        expected_num_params=params,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def test_attention_pooling_is_permutation_invariant_and_resolution_free():
    layer = AttentionPooling1D(num_queries=2, num_heads=2)
    x = np.random.default_rng(0).standard_normal((2, 7, 4)).astype("float32")
    y = _np(layer(x))
    np.testing.assert_allclose(_np(layer(x[:, ::-1])), y, atol=1e-5)
    # repeating every position leaves softmax-weighted means unchanged
    np.testing.assert_allclose(_np(layer(np.repeat(x, 3, axis=1))), y, atol=1e-5)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: AttentionGate(merge_layer="concatenate"), "merge_layer"),
        (lambda: AttentionGate(data_format="NCW"), "data_format"),
        (lambda: ChannelAttentionModule1D(reduction_ratio=0), "reduction_ratio"),
        (lambda: ChannelAttentionModule2D(activation="nope"), "nope"),
        (lambda: AttentionPooling1D(num_queries=0), "num_queries"),
        (lambda: AttentionPooling2D(2, num_heads=-1), "num_heads"),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs():
    with pytest.raises(ValueError, match="two inputs"):
        AttentionGate().build((None, 5, 2))
    with pytest.raises(ValueError, match="spatial shape"):
        AttentionGate().build([(None, 5, 2), (None, 6, 2)])
    with pytest.raises(ValueError, match="dimensions"):
        ChannelAttentionModule2D().build((None, 5, 2))
    with pytest.raises(ValueError, match="channel"):
        AttentionPooling1D(2).build((None, 5, None))
