"""SpatialAttention: self-attention across the positions of a wrapped layer's output."""

from __future__ import annotations

import math
from typing import Any

import keras
from keras import ops

from kx.layers._wrapper import KxWrapper
from kx.ops import checks
from kx.ops.types import Config, Layer, Shape, Tensor

__all__ = ["SpatialAttention"]


def _check_float(value, name, owner, low, high):
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not low <= value < high
    ):
        raise ValueError(
            f"{owner}: `{name}` must be a float in [{low}, {high}); got "
            f"{name}={value!r}."
        )
    return float(value)


@keras.saving.register_keras_serializable(package="kx")
class SpatialAttention(KxWrapper):
    """Self-attention across the positions of the wrapped layer's output.

    ``y = layer(x)``; the positions of ``y`` are the tokens and its channels the
    features of a ``keras.layers.MultiHeadAttention``; the output is
    ``y + attention(y)``. Works at any spatial size; the cost grows with the
    square of the number of positions.

    Args:
        layer: the wrapped keras Layer (or its ``serialize_keras_object`` dict),
            with output ``(batch, *positions, channels)`` (or channels first when
            its ``data_format`` says so).
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value.
        dropout: attention dropout rate in ``[0, 1)``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: the input of the wrapped layer.
        training: whether dropout is active.

    Example:

    >>> import keras, numpy as np
    >>> layer = SpatialAttention(keras.layers.Conv1D(4, 3), num_heads=2, key_dim=8,
    ...                          value_dim=8)
    >>> y = layer(np.ones((2, 10, 3), "float32"))
    >>> tuple(y.shape)
    (2, 8, 4)
    """

    _tokens_are_channels = False

    def __init__(
        self,
        layer: Layer | Config,
        num_heads: int = 4,
        key_dim: int = 64,
        value_dim: int = 64,
        dropout: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(layer, **kwargs)
        owner = type(self).__name__
        self.num_heads = checks.positive_int(num_heads, "num_heads", owner)
        self.key_dim = checks.positive_int(key_dim, "key_dim", owner)
        self.value_dim = checks.positive_int(value_dim, "value_dim", owner)
        self.dropout = _check_float(dropout, "dropout", owner, 0.0, 1.0)

    def _tokens_features(self, out_shape):
        """(tokens, features) of the attention for the wrapped layer's output."""
        axis = checks.channel_axis(self._data_format())
        channels = out_shape[axis]
        spatial = [
            s for i, s in enumerate(out_shape) if i != 0 and i != axis % len(out_shape)
        ]
        positions = None if None in spatial else math.prod(spatial)
        if self._tokens_are_channels:
            return channels, positions
        return positions, channels

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        out_shape = self._build_layer(input_shape)
        if len(out_shape) < 3:
            raise ValueError(
                f"{owner} needs a wrapped layer whose output has positions and "
                f"channels (at least 3 dimensions); got output shape {out_shape}."
            )
        tokens, features = self._tokens_features(out_shape)
        if features is None:
            what = "spatial sizes" if self._tokens_are_channels else "channels"
            raise ValueError(
                f"{owner} needs known {what} in the wrapped layer's output; got "
                f"output shape {out_shape}."
            )
        self.attention = keras.layers.MultiHeadAttention(
            num_heads=self.num_heads,
            key_dim=self.key_dim,
            value_dim=self.value_dim,
            dropout=self.dropout,
            dtype=self.dtype_policy,
            name="attention",
        )
        self.attention.build((None, tokens, features), (None, tokens, features))

    def _to_tokens(self, y):
        """(batch, tokens, features) and a function mapping it back to y's layout."""
        channels_first = self._data_format() == "channels_first"
        z = ops.moveaxis(y, 1, -1) if channels_first else y
        moved_shape = ops.shape(z)
        z = ops.reshape(z, (moved_shape[0], -1, z.shape[-1]))
        if self._tokens_are_channels:
            z = ops.swapaxes(z, 1, 2)

        def back(t):
            if self._tokens_are_channels:
                t = ops.swapaxes(t, 1, 2)
            t = ops.reshape(t, moved_shape)
            return ops.moveaxis(t, -1, 1) if channels_first else t

        return z, back

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        self._check_positions(ops.shape(inputs))
        y = self.layer(inputs)
        tokens, back = self._to_tokens(y)
        return y + back(self.attention(tokens, tokens, training=training))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "num_heads": self.num_heads,
                "key_dim": self.key_dim,
                "value_dim": self.value_dim,
                "dropout": self.dropout,
            }
        )
        return config
