"""ChannelAttention: self-attention across the channels of a wrapped layer's output."""

from __future__ import annotations

import keras

from kx.layers.spatial_attention import SpatialAttention

__all__ = ["ChannelAttention"]


@keras.saving.register_keras_serializable(package="kx")
class ChannelAttention(SpatialAttention):
    """Self-attention across the channels of the wrapped layer's output.

    As :class:`SpatialAttention` with the roles swapped: the channels are the
    tokens and the flattened positions their features, so the wrapped layer's
    output must have known spatial sizes. Same arguments.

    Example:

    >>> import keras, numpy as np
    >>> layer = ChannelAttention(keras.layers.Conv1D(4, 3), num_heads=2, key_dim=8,
    ...                          value_dim=8)
    >>> y = layer(np.ones((2, 10, 3), "float32"))
    >>> tuple(y.shape)
    (2, 8, 4)
    """

    _tokens_are_channels = True
