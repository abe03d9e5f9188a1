"""Attention pooling: learned queries attend over all positions (global pooling)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.layers._rank import FixedRank
from kx.ops import checks
from kx.ops.types import Config, Initializer, Shape, Tensor

__all__ = [
    "AttentionPooling",
    "AttentionPooling1D",
    "AttentionPooling2D",
    "AttentionPooling3D",
]


@keras.saving.register_keras_serializable(package="kx")
class AttentionPooling(keras.layers.Layer):
    """Global pooling by multi-head attention of ``num_queries`` learned queries.

    The positions of the input are the keys and values of a
    ``keras.layers.MultiHeadAttention(num_heads, key_dim=channels)``; each learned
    query ``(channels,)`` pools them into one vector. Works at any spatial size.

    Use :class:`AttentionPooling1D`, :class:`AttentionPooling2D` or
    :class:`AttentionPooling3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        num_queries: number of learned queries.
        num_heads: number of attention heads.
        flatten: return ``(batch, num_queries * channels)`` instead of
            ``(batch, num_queries, channels)``.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        kernel_initializer: initializer of the queries.
        kernel_constraint: constraint of the queries.
        kernel_regularizer: regularizer of the queries.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = AttentionPooling2D(num_queries=2)(np.ones((3, 8, 8, 4), "float32"))
    >>> tuple(y.shape)
    (3, 8)
    """

    def __init__(
        self,
        rank: int,
        num_queries: int,
        num_heads: int = 4,
        flatten: bool = True,
        data_format: str | None = None,
        kernel_initializer: Initializer = "orthogonal",
        kernel_constraint: Initializer = None,
        kernel_regularizer: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = checks.check_rank(rank, owner)
        self.num_queries = checks.positive_int(num_queries, "num_queries", owner)
        self.num_heads = checks.positive_int(num_heads, "num_heads", owner)
        self.flatten = bool(flatten)
        self.data_format = checks.data_format(data_format, owner)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        checks.input_rank(input_shape, self.rank, owner)
        channels = checks.known_channels(input_shape, self.data_format, owner)
        self.queries = self.add_weight(
            name="queries",
            shape=(self.num_queries, channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.attention = keras.layers.MultiHeadAttention(
            self.num_heads, key_dim=channels, dtype=self.dtype_policy, name="mha"
        )
        self.attention.build((None, self.num_queries, channels), (None, None, channels))
        self.input_spec = keras.layers.InputSpec(
            ndim=self.rank + 2, axes={checks.channel_axis(self.data_format): channels}
        )

    def call(self, inputs: Tensor) -> Tensor:
        checks.nonempty_axes(
            ops.shape(inputs),
            checks.spatial_axes(self.rank, self.data_format),
            type(self).__name__,
        )
        x = inputs
        if self.data_format == "channels_first":
            x = ops.moveaxis(x, 1, -1)
        channels = x.shape[-1]
        x = ops.reshape(x, (ops.shape(x)[0], -1, channels))
        queries = ops.broadcast_to(
            ops.cast(self.queries, x.dtype)[None],
            (ops.shape(x)[0], self.num_queries, channels),
        )
        pooled = self.attention(queries, x)
        if self.flatten:
            pooled = ops.reshape(pooled, (-1, self.num_queries * channels))
        return pooled

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        channels = input_shape[checks.channel_axis(self.data_format)]
        if self.flatten:
            flat = None if channels is None else self.num_queries * channels
            return (input_shape[0], flat)
        return (input_shape[0], self.num_queries, channels)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "rank": self.rank,
                "num_queries": self.num_queries,
                "num_heads": self.num_heads,
                "flatten": self.flatten,
                "data_format": self.data_format,
                "kernel_initializer": keras.initializers.serialize(
                    self.kernel_initializer
                ),
                "kernel_constraint": keras.constraints.serialize(
                    self.kernel_constraint
                ),
                "kernel_regularizer": keras.regularizers.serialize(
                    self.kernel_regularizer
                ),
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class AttentionPooling1D(FixedRank, AttentionPooling):
    """1D attention pooling; the N-d :class:`AttentionPooling` with ``rank=1``.

    Args:
        num_queries: number of learned queries.
        num_heads: number of attention heads.
        flatten: return ``(batch, num_queries * channels)`` instead of
            ``(batch, num_queries, channels)``.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        kernel_initializer: initializer of the queries.
        kernel_constraint: constraint of the queries.
        kernel_regularizer: regularizer of the queries.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = AttentionPooling1D(2, flatten=False)(np.ones((3, 8, 4), "float32"))
    >>> tuple(y.shape)
    (3, 2, 4)
    """

    def __init__(
        self,
        num_queries: int,
        num_heads: int = 4,
        flatten: bool = True,
        data_format: str | None = None,
        kernel_initializer: Initializer = "orthogonal",
        kernel_constraint: Initializer = None,
        kernel_regularizer: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            num_queries=num_queries,
            num_heads=num_heads,
            flatten=flatten,
            data_format=data_format,
            kernel_initializer=kernel_initializer,
            kernel_constraint=kernel_constraint,
            kernel_regularizer=kernel_regularizer,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class AttentionPooling2D(FixedRank, AttentionPooling):
    """2D attention pooling; the N-d :class:`AttentionPooling` with ``rank=2``.

    Args:
        num_queries: number of learned queries.
        num_heads: number of attention heads.
        flatten: return ``(batch, num_queries * channels)`` instead of
            ``(batch, num_queries, channels)``.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        kernel_initializer: initializer of the queries.
        kernel_constraint: constraint of the queries.
        kernel_regularizer: regularizer of the queries.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = AttentionPooling2D(2)(np.ones((3, 8, 8, 4), "float32"))
    >>> tuple(y.shape)
    (3, 8)
    """

    def __init__(
        self,
        num_queries: int,
        num_heads: int = 4,
        flatten: bool = True,
        data_format: str | None = None,
        kernel_initializer: Initializer = "orthogonal",
        kernel_constraint: Initializer = None,
        kernel_regularizer: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            num_queries=num_queries,
            num_heads=num_heads,
            flatten=flatten,
            data_format=data_format,
            kernel_initializer=kernel_initializer,
            kernel_constraint=kernel_constraint,
            kernel_regularizer=kernel_regularizer,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class AttentionPooling3D(FixedRank, AttentionPooling):
    """3D attention pooling; the N-d :class:`AttentionPooling` with ``rank=3``.

    Args:
        num_queries: number of learned queries.
        num_heads: number of attention heads.
        flatten: return ``(batch, num_queries * channels)`` instead of
            ``(batch, num_queries, channels)``.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        kernel_initializer: initializer of the queries.
        kernel_constraint: constraint of the queries.
        kernel_regularizer: regularizer of the queries.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = AttentionPooling3D(1)(np.ones((3, 4, 4, 4, 4), "float32"))
    >>> tuple(y.shape)
    (3, 4)
    """

    def __init__(
        self,
        num_queries: int,
        num_heads: int = 4,
        flatten: bool = True,
        data_format: str | None = None,
        kernel_initializer: Initializer = "orthogonal",
        kernel_constraint: Initializer = None,
        kernel_regularizer: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            3,
            num_queries=num_queries,
            num_heads=num_heads,
            flatten=flatten,
            data_format=data_format,
            kernel_initializer=kernel_initializer,
            kernel_constraint=kernel_constraint,
            kernel_regularizer=kernel_regularizer,
            **kwargs,
        )
