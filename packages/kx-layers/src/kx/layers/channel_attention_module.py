"""Channel attention module of CBAM (Woo et al. 2018)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.layers._rank import FixedRank
from kx.ops import checks
from kx.ops.types import Activation, Config, Shape, Tensor

__all__ = [
    "ChannelAttentionModule",
    "ChannelAttentionModule1D",
    "ChannelAttentionModule2D",
    "ChannelAttentionModule3D",
]


@keras.saving.register_keras_serializable(package="kx")
class ChannelAttentionModule(keras.layers.Layer):
    """Attention weights per channel from global average and max pooling.

    ``activation(MLP(avgpool(x)) + MLP(maxpool(x)))`` with a shared two-layer MLP
    ``Dense(max(1, channels // reduction_ratio), "relu")`` then
    ``Dense(channels)``. Multiply the input by the result to reweight its channels.

    Use :class:`ChannelAttentionModule1D`, :class:`ChannelAttentionModule2D` or
    :class:`ChannelAttentionModule3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        reduction_ratio: channels divided by the MLP's hidden width.
        activation: activation of the weights (name or callable).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        keepdims: keep the spatial axes as size 1 (``(batch, 1, ..., channels)``)
            so the result broadcasts against the input; ``False`` gives
            ``(batch, channels)``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = ChannelAttentionModule2D()(np.ones((2, 8, 8, 16), "float32"))
    >>> tuple(y.shape)
    (2, 1, 1, 16)
    """

    def __init__(
        self,
        rank: int,
        reduction_ratio: int = 8,
        activation: Activation = "sigmoid",
        data_format: str | None = None,
        keepdims: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = checks.check_rank(rank, owner)
        self.reduction_ratio = checks.positive_int(
            reduction_ratio, "reduction_ratio", owner
        )
        self.activation = checks.activation(activation, "activation", owner)
        self.data_format = checks.data_format(data_format, owner)
        self.keepdims = bool(keepdims)
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        checks.input_rank(input_shape, self.rank, owner)
        channels = checks.known_channels(input_shape, self.data_format, owner)
        self.hidden = keras.layers.Dense(
            max(1, channels // self.reduction_ratio),
            activation="relu",
            dtype=self.dtype_policy,
            name="hidden",
        )
        self.out = keras.layers.Dense(channels, dtype=self.dtype_policy, name="out")
        self.hidden.build((None, channels))
        self.out.build((None, self.hidden.units))

    def call(self, inputs: Tensor) -> Tensor:
        axes = checks.spatial_axes(self.rank, self.data_format)
        checks.nonempty_axes(ops.shape(inputs), axes, type(self).__name__)
        pooled = [ops.mean(inputs, axis=axes), ops.max(inputs, axis=axes)]
        weights = self.activation(ops.add(*[self.out(self.hidden(p)) for p in pooled]))
        if self.keepdims:
            for axis in axes:
                weights = ops.expand_dims(weights, axis)
        return weights

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        channels = input_shape[checks.channel_axis(self.data_format)]
        if not self.keepdims:
            return (input_shape[0], channels)
        shape = [input_shape[0]] + [1] * (self.rank + 1)
        shape[checks.channel_axis(self.data_format)] = channels
        return tuple(shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "rank": self.rank,
                "reduction_ratio": self.reduction_ratio,
                "activation": keras.activations.serialize(self.activation),
                "data_format": self.data_format,
                "keepdims": self.keepdims,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class ChannelAttentionModule1D(FixedRank, ChannelAttentionModule):
    """1D channel attention; :class:`ChannelAttentionModule` with ``rank=1``.

    Args:
        reduction_ratio: channels divided by the MLP's hidden width.
        activation: activation of the weights (name or callable).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        keepdims: keep the spatial axes as size 1 (``(batch, 1, ..., channels)``)
            so the result broadcasts against the input; ``False`` gives
            ``(batch, channels)``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = ChannelAttentionModule1D(keepdims=False)(np.ones((2, 8, 4), "float32"))
    >>> tuple(y.shape)
    (2, 4)
    """

    def __init__(
        self,
        reduction_ratio: int = 8,
        activation: Activation = "sigmoid",
        data_format: str | None = None,
        keepdims: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            reduction_ratio=reduction_ratio,
            activation=activation,
            data_format=data_format,
            keepdims=keepdims,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class ChannelAttentionModule2D(FixedRank, ChannelAttentionModule):
    """2D channel attention; :class:`ChannelAttentionModule` with ``rank=2``.

    Args:
        reduction_ratio: channels divided by the MLP's hidden width.
        activation: activation of the weights (name or callable).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        keepdims: keep the spatial axes as size 1 (``(batch, 1, ..., channels)``)
            so the result broadcasts against the input; ``False`` gives
            ``(batch, channels)``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = ChannelAttentionModule2D()(np.ones((2, 8, 8, 4), "float32"))
    >>> tuple(y.shape)
    (2, 1, 1, 4)
    """

    def __init__(
        self,
        reduction_ratio: int = 8,
        activation: Activation = "sigmoid",
        data_format: str | None = None,
        keepdims: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            reduction_ratio=reduction_ratio,
            activation=activation,
            data_format=data_format,
            keepdims=keepdims,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class ChannelAttentionModule3D(FixedRank, ChannelAttentionModule):
    """3D channel attention; :class:`ChannelAttentionModule` with ``rank=3``.

    Args:
        reduction_ratio: channels divided by the MLP's hidden width.
        activation: activation of the weights (name or callable).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        keepdims: keep the spatial axes as size 1 (``(batch, 1, ..., channels)``)
            so the result broadcasts against the input; ``False`` gives
            ``(batch, channels)``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = ChannelAttentionModule3D()(np.ones((1, 4, 4, 4, 4), "float32"))
    >>> tuple(y.shape)
    (1, 1, 1, 1, 4)
    """

    def __init__(
        self,
        reduction_ratio: int = 8,
        activation: Activation = "sigmoid",
        data_format: str | None = None,
        keepdims: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            3,
            reduction_ratio=reduction_ratio,
            activation=activation,
            data_format=data_format,
            keepdims=keepdims,
            **kwargs,
        )
