"""TransformerEncoder: a lean pre-norm (or post-norm) transformer encoder block."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

import kx.ops
from kx.blocks._common import WEIGHT_OPTIONS, weight_config, weight_options
from kx.blocks.feed_forward import FeedForward
from kx.blocks.regularization import DropPath, LayerScale
from kx.ops import checks
from kx.ops.types import Activation, Config, Initializer, Shape, Tensor

__all__ = ["TransformerEncoder", "multi_head_attention"]


def multi_head_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    mask: Tensor | None = None,
    causal: bool = False,
    dropout: float = 0.0,
    training: bool | None = None,
    seed: keras.random.SeedGenerator | int | None = None,
) -> Tensor:
    """Softmax attention of ``(batch, steps, heads, head_dim)`` tensors.

    Without attention dropout (or outside training) this is one call of
    ``keras.ops.dot_product_attention``, the backends' fused kernel; with dropout
    it writes the softmax out, since the fused kernels have no dropout.

    Args:
        query: ``(batch, target_steps, heads, head_dim)``.
        key: ``(batch, source_steps, heads, head_dim)``.
        value: ``(batch, source_steps, heads, value_dim)``.
        mask: None or a bool tensor broadcastable to
            ``(batch, heads, target_steps, source_steps)``; False blocks attention.
        causal: whether target step ``t`` only sees source steps ``<= t``.
        dropout: rate of dropout on the attention probabilities while training.
        training: whether dropout is active.
        seed: a ``keras.random.SeedGenerator`` (or int) for the dropout draws.

    Returns:
        ``(batch, target_steps, heads, value_dim)``.

    Example:

    >>> import numpy as np
    >>> q, kv = np.ones((2, 5, 2, 4), "float32"), np.ones((2, 7, 2, 4), "float32")
    >>> tuple(multi_head_attention(q, kv, kv).shape)
    (2, 5, 2, 4)
    >>> k = np.zeros((1, 3, 1, 1), "float32")  # equal scores: causal running means
    >>> v = np.array([0.0, 1.0, 2.0], "float32").reshape(1, 3, 1, 1)
    >>> y = multi_head_attention(k, k, v, causal=True)
    >>> np.round(keras.ops.convert_to_numpy(y)[0, :, 0, 0], 3).tolist()
    [0.0, 0.5, 1.0]
    """
    if causal and mask is not None:
        t, s = ops.shape(query)[1], ops.shape(key)[1]
        rows = ops.expand_dims(ops.arange(t), 1)
        cols = ops.expand_dims(ops.arange(s), 0)
        mask = ops.logical_and(mask, rows >= cols)
        causal = False
    if not (training and dropout > 0.0):
        return ops.dot_product_attention(query, key, value, mask=mask, is_causal=causal)
    scale = 1.0 / float(query.shape[-1]) ** 0.5
    logits = ops.einsum("bthd,bshd->bhts", query, key)
    logits = ops.cast(logits, "float32") * scale
    if causal:
        t, s = ops.shape(query)[1], ops.shape(key)[1]
        mask = ops.expand_dims(ops.arange(t), 1) >= ops.expand_dims(ops.arange(s), 0)
    if mask is not None:
        logits = ops.where(mask, logits, ops.full_like(logits, -1e9))
    weights = ops.cast(ops.softmax(logits, axis=-1), query.dtype)
    weights = keras.random.dropout(weights, dropout, seed=seed)
    return ops.einsum("bhts,bshd->bthd", weights, value)


def _split_initializer(initializer, parts):
    """Initialize a ``(dim, parts * width)`` kernel as ``parts`` separate
    ``(dim, width)`` kernels side by side (their fans, not the fused one's)."""

    def initialize(shape, dtype=None):
        width = shape[-1] // parts
        blocks = [initializer((shape[0], width), dtype=dtype) for _ in range(parts)]
        return ops.concatenate(blocks, axis=-1)

    return initialize


@keras.saving.register_keras_serializable(package="kx")
class TransformerEncoder(keras.layers.Layer):
    """A transformer encoder block: multi-head self-attention and an MLP, each a
    residual branch.

    Pre-norm (``norm_first=True``, the default, as in ViT)::

        x = x + drop_path(layer_scale(attention(norm1(x))))
        x = x + drop_path(layer_scale(mlp(norm2(x))))

    post-norm (``norm_first=False``, as in Vaswani et al. 2017 and BERT)::

        x = norm1(x + attention(x)); x = norm2(x + mlp(x))

    The query, key and value projections are one fused ``(dim, 3 * heads *
    key_dim)`` matmul and the attention one ``keras.ops.dot_product_attention``
    call. The weights are those of ``keras.layers.MultiHeadAttention`` (q, k, v and
    output kernels and biases), two layer norms and the two dense layers of a
    :class:`FeedForward`. A Keras padding mask (``Embedding(mask_zero=True)``,
    ``Masking``) keeps the attention off padded steps and passes through.

    Args:
        num_heads: number of attention heads, a positive int.
        mlp_dim: hidden width of the MLP, a positive int.
        key_dim: width of each head; None: the model width // ``num_heads``.
        dropout: dropout rate of the attention output and of the MLP.
        attention_dropout: dropout rate of the attention probabilities.
        drop_path: stochastic-depth rate of both residual branches.
        layer_scale: None, or the initial value of a :class:`LayerScale` on both
            residual branches.
        activation: activation of the MLP, ``"gelu"`` by default.
        norm_epsilon: epsilon of the two layer norms.
        use_causal_mask: whether step ``t`` only attends to steps ``<= t``.
        norm_first: pre-norm (True) or post-norm (False).
        use_bias: whether the projections have biases.
        kernel_initializer: initializer of every kernel.
        bias_initializer: initializer of every bias.
        kernel_regularizer: regularizer of every kernel.
        bias_regularizer: regularizer of every bias.
        seed: int or None, seed of the dropout and drop-path draws.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, steps, dim)``.
        mask: optional bool ``(batch, steps)``, True at the valid steps (Keras sets
            it from a masking layer).
        training: whether dropout and drop path are active.

    Example:

    >>> import numpy as np
    >>> block = TransformerEncoder(num_heads=2, mlp_dim=32)
    >>> tuple(block(np.ones((2, 5, 8), "float32")).shape)
    (2, 5, 8)
    """

    def __init__(
        self,
        num_heads: int,
        mlp_dim: int,
        key_dim: int | None = None,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        drop_path: float = 0.0,
        layer_scale: float | None = None,
        activation: Activation = "gelu",
        norm_epsilon: float = 1e-6,
        use_causal_mask: bool = False,
        norm_first: bool = True,
        use_bias: bool = True,
        kernel_initializer: Initializer = "glorot_uniform",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.num_heads = checks.positive_int(num_heads, "num_heads", owner)
        self.mlp_dim = checks.positive_int(mlp_dim, "mlp_dim", owner)
        self.key_dim = checks.optional(checks.positive_int, key_dim, "key_dim", owner)
        self.dropout = checks.rate(dropout, "dropout", owner)
        self.attention_dropout = checks.rate(
            attention_dropout, "attention_dropout", owner
        )
        self.drop_path = checks.rate(drop_path, "drop_path", owner)
        self.layer_scale = checks.optional(
            checks.number, layer_scale, "layer_scale", owner, 0.0, low_open=True
        )
        self.activation = checks.activation(activation, "activation", owner)
        self.norm_epsilon = checks.number(
            norm_epsilon, "norm_epsilon", owner, 0.0, low_open=True
        )
        self.use_causal_mask = checks.boolean(use_causal_mask, "use_causal_mask", owner)
        self.norm_first = checks.boolean(norm_first, "norm_first", owner)
        self.use_bias = checks.boolean(use_bias, "use_bias", owner)
        weight_options(
            self,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
        )
        self.seed = checks.optional(checks.positive_int, seed, "seed", owner, True)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def _add(self, name, shape, initializer, regularizer):
        return self.add_weight(
            name=name, shape=shape, initializer=initializer, regularizer=regularizer
        )

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        if len(input_shape) != 3 or input_shape[-1] is None:
            checks.fail(
                owner,
                "input_shape",
                tuple(input_shape),
                "(batch, steps, dim) with a known dim",
            )
        dim = int(input_shape[-1])
        key_dim = self.key_dim or dim // self.num_heads
        if key_dim < 1:
            checks.fail(
                owner,
                "num_heads",
                self.num_heads,
                f"at most the model width {dim} when key_dim is None",
            )
        self._head_dim = key_dim
        inner = self.num_heads * key_dim
        ones, zeros = keras.initializers.Ones(), keras.initializers.Zeros()
        self.norm1_gamma = self._add("norm1_gamma", (dim,), ones, None)
        self.norm1_beta = self._add("norm1_beta", (dim,), zeros, None)
        self.qkv_kernel = self._add(
            "qkv_kernel",
            (dim, 3 * inner),
            _split_initializer(self.kernel_initializer, 3),
            self.kernel_regularizer,
        )
        self.output_kernel = self._add(
            "output_kernel", (inner, dim), self.kernel_initializer,
            self.kernel_regularizer,
        )  # fmt: skip
        self.qkv_bias = self.output_bias = None
        if self.use_bias:
            self.qkv_bias = self._add(
                "qkv_bias", (3 * inner,), self.bias_initializer, self.bias_regularizer
            )
            self.output_bias = self._add(
                "output_bias", (dim,), self.bias_initializer, self.bias_regularizer
            )
        self.norm2_gamma = self._add("norm2_gamma", (dim,), ones, None)
        self.norm2_beta = self._add("norm2_beta", (dim,), zeros, None)
        self.mlp = FeedForward(
            self.mlp_dim,
            activation=self.activation,
            dropout=self.dropout,
            use_bias=self.use_bias,
            kernel_initializer=self.kernel_initializer,
            bias_initializer=self.bias_initializer,
            kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer,
            seed=self.seed,
            dtype=self.dtype_policy,
            name="mlp",
        )
        self.mlp.build(input_shape)
        self.scales = None
        if self.layer_scale is not None:
            self.scales = [
                LayerScale(self.layer_scale, dtype=self.dtype_policy, name=f"scale{i}")
                for i in (1, 2)
            ]
            for scale in self.scales:
                scale.build(input_shape)
        self.drop = None
        if self.drop_path > 0.0:
            self.drop = DropPath(
                self.drop_path, seed=self.seed, dtype=self.dtype_policy, name="drop"
            )
        self.input_spec = keras.layers.InputSpec(ndim=3, axes={-1: dim})

    def _norm(self, x, gamma, beta):
        return kx.ops.layer_norm(x, gamma, beta, epsilon=self.norm_epsilon)

    def _branch(self, y, index, training):
        if self.dropout > 0.0 and training and index == 0:
            y = keras.random.dropout(y, self.dropout, seed=self.seed_generator)
        if self.scales is not None:
            y = self.scales[index](y)
        if self.drop is not None:
            y = self.drop(y, training=training)
        return y

    def _attention(self, x, mask, training):
        batch, steps = ops.shape(x)[0], ops.shape(x)[1]
        inner = self.num_heads * self._head_dim
        kernel, bias = self.qkv_kernel, self.qkv_bias

        def project(i):
            # one matmul per column block of the (dim, 3 * inner) kernel:
            # measured faster than one matmul whose output is then split
            y = ops.matmul(x, kernel[:, i * inner : (i + 1) * inner])
            if bias is not None:
                y = y + bias[i * inner : (i + 1) * inner]
            return ops.reshape(y, (batch, steps, self.num_heads, self._head_dim))

        query, key, value = project(0), project(1), project(2)
        if mask is not None:
            mask = ops.cast(mask, "bool")[:, None, None, :]
        y = multi_head_attention(
            query,
            key,
            value,
            mask=mask,
            causal=self.use_causal_mask,
            dropout=self.attention_dropout,
            training=training,
            seed=self.seed_generator,
        )
        y = ops.reshape(y, (batch, steps, self.num_heads * self._head_dim))
        y = ops.matmul(y, self.output_kernel)
        if self.output_bias is not None:
            y = y + self.output_bias
        return y

    def call(
        self, inputs: Tensor, mask: Tensor | None = None, training: bool | None = None
    ) -> Tensor:
        x = inputs
        if self.norm_first:
            h = self._norm(x, self.norm1_gamma, self.norm1_beta)
            x = x + self._branch(self._attention(h, mask, training), 0, training)
            h = self._norm(x, self.norm2_gamma, self.norm2_beta)
            return x + self._branch(self.mlp(h, training=training), 1, training)
        x = x + self._branch(self._attention(x, mask, training), 0, training)
        x = self._norm(x, self.norm1_gamma, self.norm1_beta)
        x = x + self._branch(self.mlp(x, training=training), 1, training)
        return self._norm(x, self.norm2_gamma, self.norm2_beta)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "num_heads": self.num_heads,
                "mlp_dim": self.mlp_dim,
                "key_dim": self.key_dim,
                "dropout": self.dropout,
                "attention_dropout": self.attention_dropout,
                "drop_path": self.drop_path,
                "layer_scale": self.layer_scale,
                "activation": keras.activations.serialize(self.activation),
                "norm_epsilon": self.norm_epsilon,
                "use_causal_mask": self.use_causal_mask,
                "norm_first": self.norm_first,
                "use_bias": self.use_bias,
                "seed": self.seed,
                **weight_config(self, *WEIGHT_OPTIONS),
            }
        )
        return config
