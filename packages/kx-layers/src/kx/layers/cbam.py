"""CBAM: the Convolutional Block Attention Module (Woo et al. 2018) around a layer."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.layers._wrapper import KxWrapper
from kx.layers.channel_attention_module import ChannelAttentionModule
from kx.ops import checks
from kx.ops.types import Activation, Config, IntOrTuple, Layer, Shape, Tensor

__all__ = ["CBAM"]


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
    >>> y = layer(np.ones((2, 10, 10, 3), "float32"))
    >>> tuple(y.shape)
    (2, 8, 8, 8)
    """

    def __init__(
        self,
        layer: Layer | Config,
        reduction_ratio: int = 8,
        kernel_size: IntOrTuple = 5,
        channel_activation: Activation = "sigmoid",
        spatial_activation: Activation = "sigmoid",
        **kwargs: Any,
    ) -> None:
        super().__init__(layer, **kwargs)
        owner = type(self).__name__
        self.reduction_ratio = checks.positive_int(
            reduction_ratio, "reduction_ratio", owner
        )
        if not isinstance(kernel_size, int | list | tuple) or isinstance(
            kernel_size, bool
        ):
            raise ValueError(
                f"{owner}: `kernel_size` must be an int or a tuple of ints; got "
                f"kernel_size={kernel_size!r}."
            )
        if isinstance(kernel_size, int):
            checks.positive_int(kernel_size, "kernel_size", owner)
        else:
            checks.int_tuple(tuple(kernel_size), len(kernel_size), "kernel_size", owner)
        self.kernel_size = kernel_size
        self.channel_activation = checks.activation(
            channel_activation, "channel_activation", owner
        )
        self.spatial_activation = checks.activation(
            spatial_activation, "spatial_activation", owner
        )

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        out_shape = self._build_layer(input_shape)
        rank = len(out_shape) - 2
        if rank not in (1, 2, 3):
            raise ValueError(
                f"{owner} needs a wrapped layer with a 1D to 3D output (3 to 5 "
                f"dimensions); got output shape {out_shape}."
            )
        data_format = self._data_format()
        kernel_size = checks.int_tuple(self.kernel_size, rank, "kernel_size", owner)
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

    def call(self, inputs: Tensor) -> Tensor:
        self._check_positions(ops.shape(inputs))
        y = self.layer(inputs)
        y = y * self.channel_module(y)
        axis = checks.channel_axis(self._data_format())
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

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> Config:
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
