"""GlobalSelfAttention, CausalSelfAttention, CrossAttention: harness, the softmax
equation, causality, masks and bad input."""

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

from kx.blocks import CausalSelfAttention, CrossAttention, GlobalSelfAttention
from kx.ops.testing import run_layer_test

# q, k, v kernels (8 x 2 x 4) + biases (2 x 4), output kernel (2 x 4 x 8) + bias,
# one layer norm (8 + 8)
PARAMS = 3 * (8 * 8 + 8) + (8 * 8 + 8) + 16


@pytest.mark.parametrize("cls", [GlobalSelfAttention, CausalSelfAttention])
def test_self_attention_harness(cls):
    # CausalSelfAttention differs by its mask only: no second training check
    full = cls is GlobalSelfAttention
    run_layer_test(
        cls,
        init_kwargs={"num_heads": 2, "key_dim": 4},
        input_shape=(2, 5, 8),
        expected_output_shape=(2, 5, 8),
        expected_num_trainable_weights=10,
        expected_num_params=PARAMS,
        run_training_check=full,
        run_jit_check=full,
        eager_training=True,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def test_cross_attention_harness():
    # context with 3 channels: key and value kernels are 3 x 2 x 4
    params = 2 * (8 * 8 + 8) + 2 * (3 * 8 + 8) + 16
    run_layer_test(
        CrossAttention,
        eager_training=EAGER_TRAINING,
        init_kwargs={"num_heads": 2, "key_dim": 4, "norm_first": True},
        input_shape=[(2, 5, 8), (2, 7, 3)],
        expected_output_shape=(2, 5, 8),
        expected_num_params=params,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def _reference(block, x, context=None, x_valid=None, context_valid=None, causal=False):
    """numpy: kerex's LayerNorm(x + MHA(x, context)) or the pre-norm form."""
    mha = block.attention

    def project(dense, a):
        return np.einsum("btc,cnh->btnh", a, to_numpy(dense.kernel)) + to_numpy(
            dense.bias
        )

    gamma, beta = to_numpy(block.norm.gamma), to_numpy(block.norm.beta)

    def norm(a):
        return layer_norm(a, gamma, beta, block.norm_epsilon)

    query = norm(x) if block.norm_first else x
    if context is None:
        context, context_valid = query, x_valid
    q, k, v = (
        project(mha.query_dense, query),
        project(mha.key_dense, context),
        project(mha.value_dense, context),
    )
    mask = np.ones((x.shape[0], 1, x.shape[1], context.shape[1]), bool)
    if context_valid is not None:
        mask &= context_valid[:, None, None, :]
    if x_valid is not None:
        mask &= x_valid[:, None, :, None]
    if causal:
        mask &= causal_mask(x.shape[1], context.shape[1])
    # padded query steps: the output there is unspecified, the tests skip them
    mask = np.where(mask.any(-1, keepdims=True), mask, True)
    out = np.einsum("btnh,nhc->btc", attention(q, k, v, mask), to_numpy(
        mha.output_dense.kernel)) + to_numpy(mha.output_dense.bias)  # fmt: skip
    y = x + out
    return y if block.norm_first else norm(y)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("cls", [GlobalSelfAttention, CausalSelfAttention])
def test_self_attention_equals_the_softmax_equation(cls, norm_first):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 6, 8)).astype("float32")
    block = cls(num_heads=2, key_dim=4, norm_first=norm_first)
    y = to_numpy(block(x))
    expected = _reference(block, x.astype("float64"), causal=cls is CausalSelfAttention)
    np.testing.assert_allclose(y, expected, atol=2e-5)


@pytest.mark.parametrize("cls", [GlobalSelfAttention, CausalSelfAttention])
def test_value_heads_of_another_width(cls):
    """value_dim != key_dim (Keras's fused attention refuses it on jax)."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 6, 8)).astype("float32")
    block = cls(num_heads=2, key_dim=4, value_dim=3)
    y = to_numpy(block(x))
    expected = _reference(block, x.astype("float64"), causal=cls is CausalSelfAttention)
    np.testing.assert_allclose(y, expected, atol=2e-5)
    assert tuple(block.attention.value_dense.kernel.shape) == (8, 2, 3)


def test_cross_attention_equals_the_softmax_equation_with_masks():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 5, 8)).astype("float32")
    context = rng.standard_normal((2, 7, 3)).astype("float32")
    x_valid = np.array([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]], bool)
    context_valid = np.array([[1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 0]], bool)
    block = CrossAttention(num_heads=2, key_dim=4)
    y = to_numpy(block(x, context, x_mask=x_valid, context_mask=context_valid))
    expected = _reference(block, x, context, x_valid, context_valid)
    np.testing.assert_allclose(y[x_valid], expected[x_valid], atol=2e-5)
    # the list form gives the same numbers
    np.testing.assert_allclose(to_numpy(block([x, context])), _reference(
        block, x, context), atol=2e-5)  # fmt: skip


def test_return_attention_scores():
    x = np.random.default_rng(3).standard_normal((2, 4, 8)).astype("float32")
    block = CausalSelfAttention(num_heads=2, key_dim=4)
    y, scores = block(x, return_attention_scores=True)
    np.testing.assert_allclose(to_numpy(y), to_numpy(block(x)), atol=1e-5)
    scores = to_numpy(scores)
    assert scores.shape == (2, 2, 4, 4)
    np.testing.assert_allclose(scores.sum(-1), 1.0, atol=1e-5)
    assert np.all(scores[..., ~causal_mask(4, 4)] == 0)


def _perturbation_check(block, x, t, mask=None):
    """Output steps before t are unchanged when input step t changes; t changes."""
    x2 = x.copy()
    x2[:, t] += 3.0
    y1 = to_numpy(block(x) if mask is None else block(x, mask=mask))
    y2 = to_numpy(block(x2) if mask is None else block(x2, mask=mask))
    np.testing.assert_array_equal(y1[:, :t], y2[:, :t])
    assert np.abs(y1[:, t:] - y2[:, t:]).max() > 1e-3


@pytest.mark.parametrize("dtype", [None, "mixed_float16", "mixed_bfloat16"])
def test_causal_self_attention_is_causal(dtype):
    x = np.random.default_rng(4).standard_normal((2, 7, 8)).astype("float32")
    block = CausalSelfAttention(num_heads=2, key_dim=4, dtype=dtype)
    block(x)
    mask = np.array([[1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1]], bool)
    for t in (0, 3, 6):
        _perturbation_check(block, x, t)
    for t in (2, 4):
        _perturbation_check(block, x, t, mask)
    # a non-causal block sees the future: the check fails on it
    with pytest.raises(AssertionError):
        _perturbation_check(GlobalSelfAttention(num_heads=2, key_dim=4), x, 3)


@pytest.mark.parametrize("cls", [GlobalSelfAttention, CausalSelfAttention])
def test_self_attention_honours_an_embedding_padding_mask(cls):
    tokens = np.array([[3, 1, 4, 1, 5, 0, 0], [2, 7, 1, 8, 2, 8, 1]])
    inputs = keras.Input((7,), dtype="int32")
    embedded = keras.layers.Embedding(10, 8, mask_zero=True)(inputs)
    block = cls(num_heads=2, key_dim=4)
    y = block(embedded)
    model = keras.Model(inputs, y)
    out = to_numpy(model(tokens))
    # changing the padded tokens' embeddings (not their zero id) would be the same
    # as changing the pad values: valid steps must not see them
    emb = to_numpy(model.layers[1](tokens))
    valid = tokens != 0
    expected = _reference(block, emb, x_valid=valid, causal=cls is CausalSelfAttention)
    np.testing.assert_allclose(out[valid], expected[valid], atol=2e-5)
    # without the mask the valid steps would see the padding: the check can fail
    unmasked = _reference(block, emb, causal=cls is CausalSelfAttention)
    assert np.abs(unmasked[valid] - expected[valid]).max() > 1e-3 or (
        cls is CausalSelfAttention
    )
    # the mask passes on: a masked mean after the block ignores the padding
    pooled = keras.layers.GlobalAveragePooling1D()(y)
    mean = to_numpy(keras.Model(inputs, pooled)(tokens))
    np.testing.assert_allclose(mean[0], out[0, :5].mean(0), atol=1e-5)


def test_padded_context_steps_do_not_change_cross_attention():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((1, 4, 8)).astype("float32")
    context = rng.standard_normal((1, 6, 8)).astype("float32")
    inputs = keras.Input((4, 8))
    ctx_in = keras.Input((6, 8))
    masked = keras.layers.Masking(0.0)(ctx_in)
    model = keras.Model([inputs, ctx_in], CrossAttention(num_heads=2, key_dim=4)(
        inputs, masked))  # fmt: skip
    context[:, 4:] = 0.0
    y1 = to_numpy(model([x, context]))
    # the same context with the padding cut off gives the same output
    block = model.layers[-1]
    y2 = to_numpy(block(x, context[:, :4]))
    np.testing.assert_allclose(y1, y2, atol=1e-5)
    # and unmasked, the padding would change it
    assert np.abs(to_numpy(block(x, context)) - y2).max() > 1e-3


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"num_heads": 0, "key_dim": 4}, "num_heads"),
        ({"num_heads": 2, "key_dim": 0}, "key_dim"),
        ({"num_heads": 2, "key_dim": 2.5}, "key_dim"),
        ({"num_heads": 2, "key_dim": 4, "dropout": -0.1}, "dropout"),
        ({"num_heads": 2, "key_dim": 4, "norm_first": 1}, "norm_first"),
        ({"num_heads": 2, "key_dim": 4, "attention_axes": "x"}, "attention_axes"),
    ],
)
@pytest.mark.parametrize("cls", [GlobalSelfAttention, CrossAttention])
def test_bad_arguments(cls, kwargs, name):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: `{name}` must be"):
        cls(**kwargs)


@pytest.mark.parametrize("context_shape", [(None, 6), (None, 6, None)])
def test_cross_attention_refuses_a_context_it_cannot_project(context_shape):
    block = CrossAttention(num_heads=2, key_dim=4)
    with pytest.raises(ValueError, match="CrossAttention: `context` must be a tensor"):
        block.build((None, 5, 8), context_shape)


def test_output_shape_must_match_the_residual():
    block = GlobalSelfAttention(num_heads=2, key_dim=4, output_shape=6)
    with pytest.raises(ValueError, match="GlobalSelfAttention: `output_shape` must"):
        block(np.ones((1, 3, 8), "float32"))


def test_kerex_positional_arguments_and_attention_axes():
    # kerex passed num_heads, key_dim by position; kx accepts them too
    block = GlobalSelfAttention(2, 4, attention_axes=(1, 2))
    x = np.random.default_rng(6).standard_normal((2, 3, 4, 8)).astype("float32")
    assert tuple(block(x).shape) == (2, 3, 4, 8)


def test_causal_attention_runs_along_axis_1_only():
    # Keras's causal mask is over axis 1: a 4-d input attends there alone
    x = np.ones((2, 3, 4, 8), "float32")
    block = CausalSelfAttention(2, 4, attention_axes=(1,))
    assert tuple(block(x).shape) == (2, 3, 4, 8)
    with pytest.raises(ValueError, match="CausalSelfAttention: `input_shape` must"):
        CausalSelfAttention(2, 4)(x)


@pytest.mark.parametrize("which", ["x", "context"])
def test_cross_attention_checks_the_shapes_it_was_built_on(which):
    block = CrossAttention(num_heads=2, key_dim=4)
    x, context = np.ones((2, 5, 8), "float32"), np.ones((2, 7, 3), "float32")
    block(x, context)
    inputs = {"x": x, "context": context}
    inputs[which] = np.ones((*inputs[which].shape[:-1], 5), "float32")
    with pytest.raises(ValueError, match=f"CrossAttention: `{which}` must be a"):
        block(inputs["x"], inputs["context"])
