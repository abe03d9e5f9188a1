"""SmoothUpSampling: upsampling followed by a smoothing convolution."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.layers._conv import CONV, UPSAMPLING
from kx.layers._rank import FixedRank
from kx.ops import checks
from kx.ops.types import (
    Activation,
    Config,
    Initializer,
    IntOrTuple,
    Shape,
    Tensor,
)

__all__ = [
    "SmoothUpSampling",
    "SmoothUpSampling1D",
    "SmoothUpSampling2D",
    "SmoothUpSampling3D",
]

_CONV_KEYS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "groups",
    "activation",
    "use_bias",
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
)


@keras.saving.register_keras_serializable(package="kx")
class SmoothUpSampling(keras.layers.Layer):
    """Upsampling followed by a convolution that smooths the repeated values.

    ``ConvND(UpSamplingND(x))``: the convolution arguments are those of
    ``keras.layers.ConvND``, ``size`` (and, in 2D, ``interpolation``) those of
    ``keras.layers.UpSamplingND``.

    Use :class:`SmoothUpSampling1D`, :class:`SmoothUpSampling2D` or
    :class:`SmoothUpSampling3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: output channels of the convolution.
        kernel_size: kernel size of the convolution.
        size: upsampling factor, an int or one per spatial axis.
        interpolation: 2D only: ``"nearest"``, ``"bilinear"``, ... (see
            ``keras.layers.UpSampling2D``).
        strides, padding, data_format, dilation_rate, groups, activation,
        use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: as in ``keras.layers.ConvND``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> layer = SmoothUpSampling1D(4, 3, padding="same")
    >>> y = layer(np.ones((2, 8, 3), "float32"))
    >>> tuple(y.shape)
    (2, 16, 4)
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        kernel_size: IntOrTuple,
        size: IntOrTuple = 2,
        strides: IntOrTuple = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: IntOrTuple = 1,
        groups: int = 1,
        activation: Activation = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "glorot_uniform",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        activity_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = checks.check_rank(rank, owner)
        self.size = checks.int_tuple(size, self.rank, "size", owner)
        self.data_format = checks.data_format(data_format, owner)
        # the interpolations keras.layers.UpSampling2D documents
        self.interpolation = checks.one_of(
            interpolation,
            "interpolation",
            ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"),
            owner,
        )
        if self.rank != 2 and interpolation != "nearest":
            raise ValueError(
                f"{owner}: `interpolation` other than 'nearest' needs 2D; got "
                f"interpolation={interpolation!r}."
            )
        # the inner layers run channels last (channels first is moved there and
        # back): tensorflow's CPU convolutions refuse NCHW without oneDNN
        upsampling: dict[str, Any] = {
            "size": self.size[0] if self.rank == 1 else self.size
        }
        if self.rank > 1:
            upsampling["data_format"] = "channels_last"
        if self.rank == 2:
            upsampling["interpolation"] = interpolation
        try:
            self.upsampling = UPSAMPLING[self.rank](
                dtype=self.dtype_policy, name="upsampling", **upsampling
            )
            self.conv = CONV[self.rank](
                filters=filters,
                kernel_size=kernel_size,
                strides=strides,
                padding=padding,
                data_format="channels_last",
                dilation_rate=dilation_rate,
                groups=groups,
                activation=checks.activation(activation, "activation", owner),
                use_bias=use_bias,
                kernel_initializer=kernel_initializer,
                bias_initializer=bias_initializer,
                kernel_regularizer=kernel_regularizer,
                bias_regularizer=bias_regularizer,
                activity_regularizer=activity_regularizer,
                kernel_constraint=kernel_constraint,
                bias_constraint=bias_constraint,
                dtype=self.dtype_policy,
                name="conv",
            )
        except (ValueError, TypeError) as error:
            raise ValueError(f"{owner}: invalid argument: {error}") from error
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def _channels_last(self, shape):
        shape = tuple(shape)
        if self.data_format == "channels_first":
            return (shape[0], *shape[2:], shape[1])
        return shape

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        checks.input_rank(input_shape, self.rank, owner)
        axes = checks.spatial_axes(self.rank, self.data_format)
        checks.nonempty_axes(input_shape, axes, owner)
        input_shape = self._channels_last(input_shape)
        self.upsampling.build(input_shape)
        self.conv.build(self.upsampling.compute_output_shape(input_shape))

    def call(self, inputs: Tensor) -> Tensor:
        axes = checks.spatial_axes(self.rank, self.data_format)
        checks.nonempty_axes(ops.shape(inputs), axes, type(self).__name__)
        first = self.data_format == "channels_first"
        x = ops.moveaxis(inputs, 1, -1) if first else inputs
        y = self.conv(self.upsampling(x))
        return ops.moveaxis(y, -1, 1) if first else y

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        shape = self.upsampling.compute_output_shape(self._channels_last(input_shape))
        shape = tuple(self.conv.compute_output_shape(shape))
        if self.data_format == "channels_first":
            return (shape[0], shape[-1], *shape[1:-1])
        return shape

    def get_config(self) -> Config:
        config = super().get_config()
        conv = self.conv.get_config()
        config.update({key: conv[key] for key in _CONV_KEYS})
        config.update(
            {
                "rank": self.rank,
                "size": list(self.size),
                "data_format": self.data_format,
                "interpolation": self.interpolation,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class SmoothUpSampling1D(FixedRank, SmoothUpSampling):
    """1D smooth upsampling; the N-d :class:`SmoothUpSampling` with ``rank=1``.

    Args:
        filters: output channels of the convolution.
        kernel_size: kernel size of the convolution.
        size: upsampling factor, an int or one per spatial axis.
        interpolation: 2D only: ``"nearest"``, ``"bilinear"``, ... (see
            ``keras.layers.UpSampling2D``).
        strides, padding, data_format, dilation_rate, groups, activation,
        use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: as in ``keras.layers.ConvND``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = SmoothUpSampling1D(4, 3)(np.ones((2, 8, 3), "float32"))
    >>> tuple(y.shape)
    (2, 14, 4)
    """

    def __init__(
        self,
        filters: int,
        kernel_size: IntOrTuple,
        size: IntOrTuple = 2,
        strides: IntOrTuple = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: IntOrTuple = 1,
        groups: int = 1,
        activation: Activation = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "glorot_uniform",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        activity_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            filters=filters,
            kernel_size=kernel_size,
            size=size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            interpolation=interpolation,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothUpSampling2D(FixedRank, SmoothUpSampling):
    """2D smooth upsampling; the N-d :class:`SmoothUpSampling` with ``rank=2``.

    Args:
        filters: output channels of the convolution.
        kernel_size: kernel size of the convolution.
        size: upsampling factor, an int or one per spatial axis.
        interpolation: 2D only: ``"nearest"``, ``"bilinear"``, ... (see
            ``keras.layers.UpSampling2D``).
        strides, padding, data_format, dilation_rate, groups, activation,
        use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: as in ``keras.layers.ConvND``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> layer = SmoothUpSampling2D(4, 3, padding="same", interpolation="bilinear")
    >>> y = layer(np.ones((2, 8, 8, 3), "float32"))
    >>> tuple(y.shape)
    (2, 16, 16, 4)
    """

    def __init__(
        self,
        filters: int,
        kernel_size: IntOrTuple,
        size: IntOrTuple = 2,
        strides: IntOrTuple = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: IntOrTuple = 1,
        groups: int = 1,
        activation: Activation = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "glorot_uniform",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        activity_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            filters=filters,
            kernel_size=kernel_size,
            size=size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            interpolation=interpolation,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothUpSampling3D(FixedRank, SmoothUpSampling):
    """3D smooth upsampling; the N-d :class:`SmoothUpSampling` with ``rank=3``.

    Args:
        filters: output channels of the convolution.
        kernel_size: kernel size of the convolution.
        size: upsampling factor, an int or one per spatial axis.
        interpolation: 2D only: ``"nearest"``, ``"bilinear"``, ... (see
            ``keras.layers.UpSampling2D``).
        strides, padding, data_format, dilation_rate, groups, activation,
        use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: as in ``keras.layers.ConvND``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = SmoothUpSampling3D(2, 3, padding="same")(np.ones((1, 4, 4, 4, 3)))
    >>> tuple(y.shape)
    (1, 8, 8, 8, 2)
    """

    def __init__(
        self,
        filters: int,
        kernel_size: IntOrTuple,
        size: IntOrTuple = 2,
        strides: IntOrTuple = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: IntOrTuple = 1,
        groups: int = 1,
        activation: Activation = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "glorot_uniform",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        activity_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            3,
            filters=filters,
            kernel_size=kernel_size,
            size=size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            interpolation=interpolation,
            **kwargs,
        )
