"""Attention wrappers: SpatialAttention, ChannelAttention and CBAM."""

from __future__ import annotations

import math

import keras
from keras import ops

from kx.layers import _validation as v
from kx.layers._wrapper import KxWrapper
from kx.layers.channel_attention import ChannelAttentionModule


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
    >>> layer = SpatialAttention(keras.layers.Conv1D(4, 3), num_heads=2, key_dim=8)
    >>> layer(np.ones((2, 10, 3), "float32")).shape
    (2, 8, 4)
    """

    _tokens_are_channels = False

    def __init__(
        self, layer, num_heads=4, key_dim=64, value_dim=64, dropout=0.0, **kwargs
    ):
        super().__init__(layer, **kwargs)
        owner = type(self).__name__
        self.num_heads = v.positive_int(num_heads, "num_heads", owner)
        self.key_dim = v.positive_int(key_dim, "key_dim", owner)
        self.value_dim = v.positive_int(value_dim, "value_dim", owner)
        self.dropout = _check_float(dropout, "dropout", owner, 0.0, 1.0)

    def _tokens_features(self, out_shape):
        """(tokens, features) of the attention for the wrapped layer's output."""
        axis = v.channel_axis(self._data_format())
        channels = out_shape[axis]
        spatial = [
            s for i, s in enumerate(out_shape) if i != 0 and i != axis % len(out_shape)
        ]
        positions = None if None in spatial else math.prod(spatial)
        if self._tokens_are_channels:
            return channels, positions
        return positions, channels

    def build(self, input_shape):
        owner = type(self).__name__
        super().build(input_shape)
        out_shape = tuple(self.layer.compute_output_shape(input_shape))
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

    def call(self, inputs, training=None):
        y = self.layer(inputs)
        tokens, back = self._to_tokens(y)
        return y + back(self.attention(tokens, tokens, training=training))

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
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


@keras.saving.register_keras_serializable(package="kx")
class ChannelAttention(SpatialAttention):
    """Self-attention across the channels of the wrapped layer's output.

    As :class:`SpatialAttention` with the roles swapped: the channels are the
    tokens and the flattened positions their features, so the wrapped layer's
    output must have known spatial sizes. Same arguments.

    Example:

    >>> import keras, numpy as np
    >>> layer = ChannelAttention(keras.layers.Conv1D(4, 3), num_heads=2, key_dim=8)
    >>> layer(np.ones((2, 10, 3), "float32")).shape
    (2, 8, 4)
    """

    _tokens_are_channels = True


@keras.saving.register_keras_serializable(package="kx")
class CBAM(KxWrapper):
    """Convolutional Block Attention Module (Woo et al. 2018) around any layer.

    ``y = layer(x)``, then ``y = y * CAM(y)`` (a :class:`ChannelAttentionModule`)
    and ``y = y * SAM(y)``, where the spatial attention module
    ``SAM(y) = spatial_activation(conv([mean_c(y), max_c(y)]))`` is a
    ``kernel_size`` convolution of the channel-wise mean and max to one channel.

    Args:
        layer: the wrapped keras Layer (or its ``serialize_keras_object`` dict)
            with a 1D to 3D output ``(batch, *spatial, channels)`` (channels
            first when its ``data_format`` says so).
        reduction_ratio: channels divided by the channel MLP's hidden width.
        kernel_size: kernel size of the spatial attention convolution.
        channel_activation: activation of the channel weights.
        spatial_activation: activation of the spatial weights.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: the input of the wrapped layer.

    Example:

    >>> import keras, numpy as np
    >>> layer = CBAM(keras.layers.Conv2D(8, 3), reduction_ratio=4, kernel_size=3)
    >>> layer(np.ones((2, 10, 10, 3), "float32")).shape
    (2, 8, 8, 8)
    """

    def __init__(
        self,
        layer,
        reduction_ratio=8,
        kernel_size=5,
        channel_activation="sigmoid",
        spatial_activation="sigmoid",
        **kwargs,
    ):
        super().__init__(layer, **kwargs)
        owner = type(self).__name__
        self.reduction_ratio = v.positive_int(reduction_ratio, "reduction_ratio", owner)
        if not isinstance(kernel_size, int | list | tuple) or isinstance(
            kernel_size, bool
        ):
            raise ValueError(
                f"{owner}: `kernel_size` must be an int or a tuple of ints; got "
                f"kernel_size={kernel_size!r}."
            )
        if isinstance(kernel_size, int):
            v.positive_int(kernel_size, "kernel_size", owner)
        else:
            v.int_tuple(tuple(kernel_size), len(kernel_size), "kernel_size", owner)
        self.kernel_size = kernel_size
        self.channel_activation = keras.activations.get(channel_activation)
        self.spatial_activation = keras.activations.get(spatial_activation)

    def build(self, input_shape):
        owner = type(self).__name__
        super().build(input_shape)
        out_shape = tuple(self.layer.compute_output_shape(input_shape))
        rank = len(out_shape) - 2
        if rank not in (1, 2, 3):
            raise ValueError(
                f"{owner} needs a wrapped layer with a 1D to 3D output (3 to 5 "
                f"dimensions); got output shape {out_shape}."
            )
        data_format = self._data_format()
        kernel_size = v.int_tuple(self.kernel_size, rank, "kernel_size", owner)
        self.channel_module = ChannelAttentionModule(
            rank,
            reduction_ratio=self.reduction_ratio,
            activation=self.channel_activation,
            data_format=data_format,
            dtype=self.dtype_policy,
            name="channel_attention",
        )
        # The spatial attention convolution, stored as (1, 2, *kernel_size): the
        # keras torch backend hands a conv kernel to torch permuted without
        # .contiguous(), and torch's CPU conv backward rejects that layout for a
        # single output channel; this storage makes the permuted kernel contiguous.
        self.spatial_kernel = self.add_weight(
            name="spatial_kernel",
            shape=(1, 2, *kernel_size),
            initializer=keras.initializers.GlorotUniform(),
        )
        self.spatial_bias = self.add_weight(
            name="spatial_bias", shape=(1,), initializer="zeros"
        )
        self.channel_module.build(out_shape)

    def call(self, inputs):
        y = self.layer(inputs)
        y = y * self.channel_module(y)
        axis = v.channel_axis(self._data_format())
        pooled = ops.concatenate(
            [
                ops.mean(y, axis=axis, keepdims=True),
                ops.max(y, axis=axis, keepdims=True),
            ],
            axis=axis,
        )
        return y * self.spatial_activation(self._spatial_conv(pooled))

    def _spatial_conv(self, pooled):
        rank = len(pooled.shape) - 2
        kernel = ops.transpose(self.spatial_kernel, (*range(2, rank + 2), 1, 0))
        out = ops.conv(pooled, kernel, padding="same", data_format=self._data_format())
        return out + ops.cast(self.spatial_bias, out.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "reduction_ratio": self.reduction_ratio,
                "kernel_size": self.kernel_size,
                "channel_activation": keras.activations.serialize(
                    self.channel_activation
                ),
                "spatial_activation": keras.activations.serialize(
                    self.spatial_activation
                ),
            }
        )
        return config
