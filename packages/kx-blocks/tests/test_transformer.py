"""TransformerEncoder and multi_head_attention: harness, the equations written out
in numpy, parameter counts, causality, masks and bad input."""

import keras
import numpy as np
import pytest
from blocks_reference import (
    EAGER_TRAINING,
    attention,
    causal_mask,
    layer_norm,
    to_numpy,
)

from kx.blocks import TransformerEncoder, multi_head_attention
from kx.ops.testing import run_layer_test


def _params(dim, heads, key_dim, mlp):
    inner = heads * key_dim
    qkv = 3 * (dim * inner + inner)
    out = inner * dim + dim
    norms = 2 * 2 * dim
    ff = dim * mlp + mlp + mlp * dim + dim
    return qkv + out + norms + ff


@pytest.mark.parametrize(
    "kwargs, params",
    [
        ({"num_heads": 2, "mlp_dim": 16}, _params(8, 2, 4, 16)),
        (
            {
                "num_heads": 2,
                "mlp_dim": 16,
                "key_dim": 3,
                "norm_first": False,
                "use_causal_mask": True,
                "layer_scale": 0.1,
                "drop_path": 0.2,
                "dropout": 0.1,
                "attention_dropout": 0.1,
                "seed": 3,
            },
            _params(8, 2, 3, 16) + 2 * 8,
        ),
    ],
)
def test_transformer_encoder_harness(kwargs, params):
    # the second config: its own code paths (dropout, drop path, layer scale,
    # causal post-norm): config, shapes and training, not every check
    full = "dropout" not in kwargs
    run_layer_test(
        TransformerEncoder,
        eager_training=EAGER_TRAINING,
        init_kwargs=kwargs,
        input_shape=(2, 5, 8),
        expected_output_shape=(2, 5, 8),
        expected_num_params=params,
        run_saving_check=full,
        run_jit_check=full,
        run_mixed_precision_check=full,
        run_float64_check=full,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def test_parameter_count_equals_keras_hubs_at_the_benchmark_config():
    # keras-hub's TransformerEncoder at width 128, 8 heads of 16, MLP 256:
    # q, k, v, o kernels 128x128 + biases, 2 layer norms, 2 dense layers
    hub = 4 * (128 * 128 + 128) + 2 * 2 * 128 + (128 * 256 + 256) + (256 * 128 + 128)
    assert hub == 132480
    block = TransformerEncoder(num_heads=8, mlp_dim=256)
    block.build((None, 65, 128))
    assert block.count_params() == hub


def _weights(block):
    """The block's weights by name; the MLP's output kernel/bias get a ``_1``."""
    names = {}
    for v in block.weights:
        name = v.path.split("/")[-1]
        names[name + "_1" if name in names else name] = to_numpy(v)
    return names


def _gelu(z):
    from math import erf

    return 0.5 * z * (1 + np.vectorize(erf)(z / np.sqrt(2)))


def _reference(block, x, valid=None):
    """The encoder block in numpy from its weights (inference: no dropout)."""
    w = _weights(block)
    heads = block.num_heads
    key_dim = w["qkv_kernel"].shape[1] // (3 * heads)

    def attend(h):
        qkv = h @ w["qkv_kernel"] + w["qkv_bias"]
        q, k, v = (
            a.reshape(*a.shape[:2], heads, key_dim) for a in np.split(qkv, 3, -1)
        )
        mask = np.ones((x.shape[0], 1, x.shape[1], x.shape[1]), bool)
        if valid is not None:
            mask &= valid[:, None, None, :]
        if block.use_causal_mask:
            mask &= causal_mask(x.shape[1], x.shape[1])
        out = attention(q, k, v, mask).reshape(*h.shape[:2], heads * key_dim)
        return out @ w["output_kernel"] + w["output_bias"]

    def mlp(h):
        hidden = _gelu(h @ w["hidden_kernel"] + w["hidden_bias"])
        return hidden @ w["output_kernel_1"] + w["output_bias_1"]

    def norm(h, i):
        gamma, beta = w[f"norm{i}_gamma"], w[f"norm{i}_beta"]
        return layer_norm(h, gamma, beta, block.norm_epsilon)

    if block.norm_first:
        x = x + attend(norm(x, 1))
        return x + mlp(norm(x, 2))
    x = norm(x + attend(x), 1)
    return norm(x + mlp(x), 2)


@pytest.mark.parametrize("norm_first, causal", [(True, False), (False, True)])
def test_transformer_encoder_equals_the_equations(norm_first, causal):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 6, 8)).astype("float32")
    block = TransformerEncoder(
        num_heads=2, mlp_dim=16, norm_first=norm_first, use_causal_mask=causal
    )
    y = to_numpy(block(x))
    assert sorted(_weights(block)) == sorted(
        ["norm1_gamma", "norm1_beta", "qkv_kernel", "qkv_bias", "output_kernel",
         "output_bias", "norm2_gamma", "norm2_beta", "hidden_kernel", "hidden_bias",
         "output_kernel_1", "output_bias_1"]
    )  # fmt: skip
    np.testing.assert_allclose(y, _reference(block, x.astype("float64")), atol=2e-5)
    # with a padding mask: the valid steps match the masked equations
    valid = np.array([[1, 1, 1, 1, 0, 0], [1] * 6], bool)
    y = to_numpy(block(x, mask=valid))
    expected = _reference(block, x.astype("float64"), valid)
    np.testing.assert_allclose(y[valid], expected[valid], atol=2e-5)


def test_multi_head_attention_fused_equals_the_softmax_formula():
    rng = np.random.default_rng(1)
    q, k, v = (rng.standard_normal((2, 5, 3, 4)).astype("float32") for _ in range(3))
    valid = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    mask = valid[:, None, None, :]
    for causal in (False, True):
        full = mask & causal_mask(5, 5) if causal else mask
        got = to_numpy(multi_head_attention(q, k, v, mask=mask, causal=causal))
        np.testing.assert_allclose(got, attention(q, k, v, full), atol=1e-5)
    # the explicit (dropout) path with a rate that keeps almost everything
    # equals it too when no entry is dropped: rate 1e-9
    got = to_numpy(
        multi_head_attention(q, k, v, mask=mask, causal=True, dropout=1e-9,
                             training=True, seed=0)
    )  # fmt: skip
    np.testing.assert_allclose(got, attention(q, k, v, mask & causal_mask(5, 5)),
                               atol=1e-5)  # fmt: skip


def test_causal_encoder_is_causal_under_padding_and_mixed_precision():
    x = np.random.default_rng(2).standard_normal((2, 6, 8)).astype("float32")
    valid = np.array([[1, 1, 1, 1, 0, 0], [1] * 6], bool)
    for dtype in (None, "mixed_float16"):
        block = TransformerEncoder(
            num_heads=2, mlp_dim=16, use_causal_mask=True, dtype=dtype
        )
        for t in (0, 3):
            x2 = x.copy()
            x2[:, t] += 3.0
            for mask in (None, valid):
                y1, y2 = (to_numpy(block(a, mask=mask)) for a in (x, x2))
                np.testing.assert_array_equal(y1[:, :t], y2[:, :t])
                assert np.abs(y1[:, t] - y2[:, t]).max() > 1e-3


def test_padding_mask_from_an_embedding_is_honoured_and_passed_on():
    tokens = np.array([[3, 1, 4, 1, 0, 0], [2, 7, 1, 8, 2, 8]])
    inputs = keras.Input((6,), dtype="int32")
    embedding = keras.layers.Embedding(10, 8, mask_zero=True)
    y = TransformerEncoder(num_heads=2, mlp_dim=16)(embedding(inputs))
    pooled = keras.layers.GlobalAveragePooling1D()(y)
    model = keras.Model(inputs, [y, pooled])
    out, mean = (to_numpy(a) for a in model(tokens))
    # padding tokens replaced by other padding-id-free values at the padded steps
    # would change an unmasked model; with the mask, the valid steps equal those of
    # the sequence cut to its valid length
    short = to_numpy(model.layers[2](embedding(tokens[:1, :4])))
    np.testing.assert_allclose(out[0, :4], short[0], atol=1e-5)
    np.testing.assert_allclose(mean[0], out[0, :4].mean(0), atol=1e-5)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"num_heads": 0}, "num_heads"),
        ({"key_dim": 0}, "key_dim"),
        ({"key_dim": "8"}, "key_dim"),
        ({"mlp_dim": -1}, "mlp_dim"),
        ({"dropout": -0.1}, "dropout"),
        ({"attention_dropout": 1.0}, "attention_dropout"),
        ({"drop_path": -1}, "drop_path"),
        ({"layer_scale": 0}, "layer_scale"),
        ({"use_causal_mask": "yes"}, "use_causal_mask"),
    ],
)
def test_bad_arguments(kwargs, name):
    args = {"num_heads": 2, "mlp_dim": 8, **kwargs}
    with pytest.raises(ValueError, match=rf"TransformerEncoder: `{name}` must be"):
        TransformerEncoder(**args)


def test_more_heads_than_width_without_key_dim():
    with pytest.raises(ValueError, match="TransformerEncoder: `num_heads` must be"):
        TransformerEncoder(num_heads=16, mlp_dim=8)(np.ones((1, 2, 8), "float32"))
