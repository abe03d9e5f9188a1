"""kerex's residual attention blocks: global, causal and cross attention."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import keras

from kx.ops import checks
from kx.ops.types import Axes, Config, Initializer, IntOrTuple, Shape, Tensor

__all__ = ["CausalSelfAttention", "CrossAttention", "GlobalSelfAttention"]

_MHA_ARGUMENTS = (
    "num_heads",
    "key_dim",
    "value_dim",
    "dropout",
    "use_bias",
    "output_shape",
    "attention_axes",
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
    "seed",
)


class _ResidualAttention(keras.layers.Layer):
    """``LayerNorm(x + MHA(x, context))`` (or ``x + MHA(LN(x), context)``)."""

    _causal = False

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape: IntOrTuple | None = None,
        attention_axes: Axes | None = None,
        kernel_initializer: Initializer = "glorot_uniform",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        activity_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        seed: int | None = None,
        norm_first: bool = False,
        norm_epsilon: float = 1e-3,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.num_heads = checks.positive_int(num_heads, "num_heads", owner)
        self.key_dim = checks.positive_int(key_dim, "key_dim", owner)
        self.value_dim = checks.optional(
            checks.positive_int, value_dim, "value_dim", owner
        )
        self.dropout = checks.rate(dropout, "dropout", owner)
        self.use_bias = checks.boolean(use_bias, "use_bias", owner)
        if output_shape is not None:
            shape = output_shape if isinstance(output_shape, list | tuple) else None
            if shape is None:
                output_shape = checks.positive_int(output_shape, "output_shape", owner)
            else:
                for size in shape:
                    checks.positive_int(size, "output_shape", owner)
                output_shape = tuple(int(s) for s in shape)
        self.output_shape_ = output_shape
        if attention_axes is not None:
            axes = attention_axes
            if isinstance(axes, int) and not isinstance(axes, bool):
                axes = (axes,)
            if not isinstance(axes, list | tuple) or not all(
                isinstance(a, int) and not isinstance(a, bool) and a != 0 for a in axes
            ):
                checks.fail(
                    owner,
                    "attention_axes",
                    attention_axes,
                    "None, or an int or tuple of ints naming non-batch axes",
                )
            attention_axes = tuple(axes)
        self.attention_axes = attention_axes
        self.seed = checks.optional(checks.positive_int, seed, "seed", owner, True)
        self.norm_first = checks.boolean(norm_first, "norm_first", owner)
        self.norm_epsilon = checks.number(
            norm_epsilon, "norm_epsilon", owner, 0.0, low_open=True
        )
        self.attention = keras.layers.MultiHeadAttention(
            num_heads=self.num_heads,
            key_dim=self.key_dim,
            value_dim=self.value_dim,
            dropout=self.dropout,
            use_bias=self.use_bias,
            output_shape=self.output_shape_,
            attention_axes=self.attention_axes,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            seed=self.seed,
            dtype=self.dtype_policy,
            name="mha",
        )
        self.norm = keras.layers.LayerNormalization(
            epsilon=self.norm_epsilon, dtype=self.dtype_policy, name="norm"
        )
        self.supports_masking = True

    def _build_blocks(self, x_shape, context_shape):
        owner = type(self).__name__
        x_shape, context_shape = tuple(x_shape), tuple(context_shape)
        if x_shape[-1] is None:
            checks.fail(owner, "input_shape", x_shape, "a known channel (last) axis")
        if self.output_shape_ is not None:
            out = self.output_shape_
            out = out if isinstance(out, tuple) else (out,)
            if out != x_shape[-len(out) :]:
                checks.fail(
                    owner,
                    "output_shape",
                    self.output_shape_,
                    f"None or the input's trailing shape {x_shape[-len(out) :]} "
                    "(the output is added to the input)",
                )
        self.attention.build(x_shape, context_shape)
        self.norm.build(x_shape)
        self._built_shapes = (x_shape, context_shape)

    def _check_built(self, x, context):
        """A ValueError unless ``x`` (and ``context``) have the rank and the channel
        count of the shapes the layer was built for (its projections' sizes)."""
        x_shape, context_shape = self._built_shapes
        pairs = [("x", x, x_shape)]
        if context is not None:
            pairs.append(("context", context, context_shape))
        for name, tensor, built in pairs:
            shape = tuple(tensor.shape)
            if len(shape) != len(built) or shape[-1] not in (None, built[-1]):
                checks.fail(
                    type(self).__name__,
                    name,
                    f"<tensor of shape {shape}>",
                    f"a tensor of rank {len(built)} with {built[-1]} channels (last "
                    f"axis), as the layer was built for: {name} shape {built}",
                )

    def _residual(self, x, context, x_mask, context_mask, scores, training):
        self._check_built(x, context)
        query = self.norm(x) if self.norm_first else x
        if context is None:
            context, context_mask = query, x_mask
        # Keras's fused attention (keras.ops.dot_product_attention) fails on jax
        # when value heads are wider or narrower than key heads; asking for the
        # scores takes MultiHeadAttention's explicit path, on every backend
        explicit = scores or self.value_dim not in (None, self.key_dim)
        out = self.attention(
            query,
            context,
            query_mask=x_mask,
            value_mask=context_mask,
            return_attention_scores=explicit,
            training=training,
            use_causal_mask=self._causal,
        )
        out, weights = out if explicit else (out, None)
        y = x + out
        if not self.norm_first:
            y = self.norm(y)
        return (y, weights) if scores else y

    def get_config(self) -> Config:
        config = super().get_config()
        mha = self.attention.get_config()
        config.update({name: mha[name] for name in _MHA_ARGUMENTS})
        config.update(
            {
                "output_shape": self.output_shape_,
                "attention_axes": self.attention_axes,
                "seed": self.seed,
                "norm_first": self.norm_first,
                "norm_epsilon": self.norm_epsilon,
            }
        )
        return config


def _query_and_context(
    x_shape: Shape | Sequence[Shape], context_shape: Shape | None
) -> tuple[Shape, Shape]:
    """The query's and the context's shapes, given apart or as ``[x, context]``."""
    if context_shape is None:
        query, context = cast("Sequence[Shape]", x_shape)
        return tuple(query), tuple(context)
    return tuple(cast("Shape", x_shape)), tuple(context_shape)


@keras.saving.register_keras_serializable(package="kx")
class GlobalSelfAttention(_ResidualAttention):
    """Self-attention over every step, with a residual and a layer norm.

    ``LayerNorm(x + MultiHeadAttention(x, x))`` (kerex's ``GlobalSelfAttention``);
    a Keras padding mask on ``x`` keeps the attention off the padded steps and
    is passed on. All arguments can be given by keyword.


    Args:
        num_heads: number of attention heads, a positive int.
        key_dim: width of each query and key head, a positive int.
        value_dim: width of each value head; None: ``key_dim``.
        dropout: dropout rate of the attention probabilities, in ``[0, 1)``.
        use_bias: whether the projections have biases.
        output_shape: None (the input's channels) or the trailing output shape;
            it must equal the input's, since the output is added to the input.
        attention_axes: None (attend over all axes between batch and channels)
            or the axes to attend over, as ``keras.layers.MultiHeadAttention``.
        kernel_initializer: initializer of the projection kernels.
        bias_initializer: initializer of the projection biases.
        kernel_regularizer: regularizer of the projection kernels.
        bias_regularizer: regularizer of the projection biases.
        activity_regularizer: regularizer of the attention output.
        kernel_constraint: constraint of the projection kernels.
        bias_constraint: constraint of the projection biases.
        seed: int or None, seed of the attention dropout.
        norm_first: False: kerex's ``LayerNorm(x + MHA(x))``; True: the pre-norm
            ``x + MHA(LayerNorm(x))``.
        norm_epsilon: epsilon of the layer norm.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).
    Call arguments:
        x: a float tensor ``(batch, ..., channels)``.
        return_attention_scores: also return the attention weights
            ``(batch, heads, steps, steps)``.
        training: whether dropout is active.

    Example:

    >>> import numpy as np
    >>> block = GlobalSelfAttention(num_heads=2, key_dim=4)
    >>> tuple(block(np.ones((2, 5, 8), "float32")).shape)
    (2, 5, 8)
    """

    def build(self, input_shape: Shape) -> None:
        self._build_blocks(input_shape, input_shape)

    def call(
        self,
        x: Tensor,
        mask: Tensor | None = None,
        return_attention_scores: bool = False,
        training: bool | None = None,
    ) -> Tensor:
        return self._residual(x, None, mask, None, return_attention_scores, training)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)


@keras.saving.register_keras_serializable(package="kx")
class CausalSelfAttention(GlobalSelfAttention):
    """Causal self-attention: step ``t`` attends to steps ``<= t`` only.

    ``LayerNorm(x + MultiHeadAttention(x, x, use_causal_mask=True))`` (kerex's
    ``CausalSelfAttention``). No output step depends on a later input step, also
    with a padding mask (combined with the causal one) and in mixed precision.


    Args:
        num_heads: number of attention heads, a positive int.
        key_dim: width of each query and key head, a positive int.
        value_dim: width of each value head; None: ``key_dim``.
        dropout: dropout rate of the attention probabilities, in ``[0, 1)``.
        use_bias: whether the projections have biases.
        output_shape: None (the input's channels) or the trailing output shape;
            it must equal the input's, since the output is added to the input.
        attention_axes: None (attend over all axes between batch and channels)
            or the axes to attend over, as ``keras.layers.MultiHeadAttention``.
        kernel_initializer: initializer of the projection kernels.
        bias_initializer: initializer of the projection biases.
        kernel_regularizer: regularizer of the projection kernels.
        bias_regularizer: regularizer of the projection biases.
        activity_regularizer: regularizer of the attention output.
        kernel_constraint: constraint of the projection kernels.
        bias_constraint: constraint of the projection biases.
        seed: int or None, seed of the attention dropout.
        norm_first: False: kerex's ``LayerNorm(x + MHA(x))``; True: the pre-norm
            ``x + MHA(LayerNorm(x))``.
        norm_epsilon: epsilon of the layer norm.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).
    Call arguments:
        x: a float tensor ``(batch, steps, channels)`` (more axes take
            ``attention_axes=(1,)``: the causal mask runs along the steps).
        return_attention_scores: also return the attention weights.
        training: whether dropout is active.

    Example:

    >>> import numpy as np
    >>> block = CausalSelfAttention(num_heads=2, key_dim=4)
    >>> tuple(block(np.ones((2, 5, 8), "float32")).shape)
    (2, 5, 8)
    """

    _causal = True

    def build(self, input_shape: Shape) -> None:
        # keras's causal mask runs along axis 1: the attention must run over it alone
        shape = tuple(input_shape)
        axes = self.attention_axes
        if axes is None:
            axes = tuple(range(1, len(shape) - 1))
        if tuple(sorted(a % len(shape) for a in axes)) != (1,):
            checks.fail(
                type(self).__name__,
                "input_shape",
                shape,
                "(batch, steps, channels), or a shape of more axes with "
                "attention_axes=(1,): the causal mask runs along axis 1 only "
                f"(attention_axes={self.attention_axes})",
            )
        super().build(input_shape)


@keras.saving.register_keras_serializable(package="kx")
class CrossAttention(_ResidualAttention):
    """Cross-attention of ``x`` to a ``context``, with a residual and a layer norm.

    ``LayerNorm(x + MultiHeadAttention(query=x, value=context))`` (kerex's
    ``CrossAttention``). Padding masks on ``x`` and on ``context`` are honoured;
    the output carries ``x``'s mask. The context may have another length and,
    for the default ``value_dim``/``key_dim`` projections, another channel count.


    Args:
        num_heads: number of attention heads, a positive int.
        key_dim: width of each query and key head, a positive int.
        value_dim: width of each value head; None: ``key_dim``.
        dropout: dropout rate of the attention probabilities, in ``[0, 1)``.
        use_bias: whether the projections have biases.
        output_shape: None (the input's channels) or the trailing output shape;
            it must equal the input's, since the output is added to the input.
        attention_axes: None (attend over all axes between batch and channels)
            or the axes to attend over, as ``keras.layers.MultiHeadAttention``.
        kernel_initializer: initializer of the projection kernels.
        bias_initializer: initializer of the projection biases.
        kernel_regularizer: regularizer of the projection kernels.
        bias_regularizer: regularizer of the projection biases.
        activity_regularizer: regularizer of the attention output.
        kernel_constraint: constraint of the projection kernels.
        bias_constraint: constraint of the projection biases.
        seed: int or None, seed of the attention dropout.
        norm_first: False: kerex's ``LayerNorm(x + MHA(x))``; True: the pre-norm
            ``x + MHA(LayerNorm(x))``.
        norm_epsilon: epsilon of the layer norm.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).
    Call arguments:
        x: the queries, a float tensor ``(batch, steps, channels)``; or the list
            ``[x, context]``.
        context: the keys and values ``(batch, context_steps, context_channels)``.
        return_attention_scores: also return the attention weights
            ``(batch, heads, steps, context_steps)``.
        training: whether dropout is active.

    Example:

    >>> import numpy as np
    >>> block = CrossAttention(num_heads=2, key_dim=4)
    >>> x, context = np.ones((2, 5, 8), "float32"), np.ones((2, 7, 3), "float32")
    >>> tuple(block(x, context).shape)
    (2, 5, 8)
    """

    def build(
        self, x_shape: Shape | Sequence[Shape], context_shape: Shape | None = None
    ) -> None:
        x_shape, context_shape = _query_and_context(x_shape, context_shape)
        if len(context_shape) != len(x_shape) or context_shape[-1] is None:
            checks.fail(
                type(self).__name__,
                "context",
                f"<tensor of shape {context_shape}>",
                f"a tensor of the query's rank {len(x_shape)} with a known channel "
                "(last) axis; its length and channel count may differ from the "
                "query's",
            )
        self._build_blocks(x_shape, context_shape)

    def call(
        self,
        x: Tensor | Sequence[Tensor],
        context: Tensor | None = None,
        x_mask: Tensor | Sequence[Tensor | None] | None = None,
        context_mask: Tensor | None = None,
        return_attention_scores: bool = False,
        training: bool | None = None,
    ) -> Tensor:
        if context is None:
            x, context = x
        if isinstance(x_mask, list | tuple):
            x_mask, context_mask = x_mask
        return self._residual(
            x, context, x_mask, context_mask, return_attention_scores, training
        )

    def compute_output_shape(
        self, x_shape: Shape | Sequence[Shape], context_shape: Shape | None = None
    ) -> Shape:
        return _query_and_context(x_shape, context_shape)[0]

    def compute_mask(
        self,
        inputs: Tensor | Sequence[Tensor],
        previous_mask: Tensor | Sequence[Tensor | None] | None = None,
    ) -> Tensor | None:
        if isinstance(previous_mask, list | tuple):
            return previous_mask[0]
        return previous_mask
