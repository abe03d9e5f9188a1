"""Encoder: convolutions, then a strided convolution that halves every spatial
axis (kerex's ``Encoder1D/2D/3D``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras

from kx.blocks._conv_stack import (
    CONV,
    ConvBlock,
    FixedRank,
    conv_options,
    first_to_last,
    last_to_first,
    shape_to_first,
)
from kx.ops import checks
from kx.ops.types import Activation, Config, Initializer, IntOrTuple, Shape, Tensor

__all__ = ["Encoder", "Encoder1D", "Encoder2D", "Encoder3D"]


@keras.saving.register_keras_serializable(package="kx")
class Encoder(ConvBlock):
    """Convolutions, then a convolution of kernel 2 and stride 2 (downsampling).

    The encoder block of kerex's autoencoders: one convolution per entry of
    ``filters``, then a linear strided convolution with ``filters[-1]`` channels
    (strided-convolution downsampling, Springenberg et al., 2014). It builds from
    its call, and every rank takes every argument.

    Use :class:`Encoder1D`, :class:`Encoder2D` or :class:`Encoder3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: output channels of the convolutions: an int (one
            convolution) or a list of ints (one convolution each).
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            convolution) of those.
        strides: strides of the convolutions, as ``kernel_size``.
        padding: ``"same"`` or ``"valid"`` (and ``"causal"`` in 1D).
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: dilation of the convolutions, as ``kernel_size``.
        groups: groups of the convolutions: an int or one per convolution; the
            downsampling convolution takes the last.
        use_skip_connection: also return the output of the convolutions (the
            skip of a U-Net) with the downsampled one.
        activation: activation of the convolutions (the downsampling one has
            none).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``.

    Returns:
        ``down``, the convolutions' output downsampled by a convolution of
        kernel 2 and stride 2 ("same" padding: a size ``n`` becomes
        ``(n + 1) // 2``) with ``filters[-1]`` channels; with
        ``use_skip_connection``, the pair ``(down, skip)``, ``skip`` being the
        convolutions' output before downsampling.

    Example:

    >>> import numpy as np
    >>> y = Encoder(1, [4, 8], kernel_size=3)(np.ones((2, 9, 3), "float32"))
    >>> tuple(y.shape)
    (2, 5, 8)
    """

    def __init__(
        self,
        rank: int,
        filters: int | Sequence[int],
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        kernel_initializer: Initializer = "he_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            rank,
            filters=filters,
            kernel_size=kernel_size,
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
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
        self.use_skip_connection = checks.boolean(
            use_skip_connection, "use_skip_connection", type(self).__name__
        )
        self.downsampling = CONV[self.rank](
            filters=self.filters[-1],
            kernel_size=2,
            strides=2,
            padding="same",
            data_format="channels_last",
            groups=self.groups[-1],
            activation=None,
            name="downsampling",
            **conv_options(self),
        )

    def build(self, input_shape: Shape) -> None:
        shape = self._build_convs(self._check_input(input_shape))
        self.downsampling.build(shape)

    def call(self, inputs: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        self._check_nonempty(inputs)
        skip = self._run_convs(first_to_last(inputs, self.data_format))
        down = last_to_first(self.downsampling(skip), self.data_format)
        if self.use_skip_connection:
            return down, last_to_first(skip, self.data_format)
        return down

    def compute_output_shape(self, input_shape: Shape) -> Shape | tuple[Shape, Shape]:
        skip = self._convs_shape(self._check_input(input_shape))
        down = shape_to_first(
            self.downsampling.compute_output_shape(skip), self.data_format
        )
        if self.use_skip_connection:
            return down, shape_to_first(skip, self.data_format)
        return down

    def get_config(self) -> Config:
        config = super().get_config()
        config["use_skip_connection"] = self.use_skip_connection
        return config


@keras.saving.register_keras_serializable(package="kx")
class Encoder1D(FixedRank, Encoder):
    """1D encoder block; the N-d :class:`Encoder` with ``rank=1``.

    Args:
        filters: output channels of the convolutions: an int (one
            convolution) or a list of ints (one convolution each).
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            convolution) of those.
        strides: strides of the convolutions, as ``kernel_size``.
        padding: ``"same"`` or ``"valid"`` (and ``"causal"`` in 1D).
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: dilation of the convolutions, as ``kernel_size``.
        groups: groups of the convolutions: an int or one per convolution; the
            downsampling convolution takes the last.
        use_skip_connection: also return the output of the convolutions (the
            skip of a U-Net) with the downsampled one.
        activation: activation of the convolutions (the downsampling one has
            none).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``.

    Returns:
        ``down``, the convolutions' output downsampled by a convolution of
        kernel 2 and stride 2 ("same" padding: a size ``n`` becomes
        ``(n + 1) // 2``) with ``filters[-1]`` channels; with
        ``use_skip_connection``, the pair ``(down, skip)``, ``skip`` being the
        convolutions' output before downsampling.

    Example:

    >>> import numpy as np
    >>> down, skip = Encoder1D([4, 8], kernel_size=3, use_skip_connection=True)(
    ...     np.ones((2, 9, 3), "float32"))
    >>> tuple(down.shape), tuple(skip.shape)
    ((2, 5, 8), (2, 9, 8))
    """

    def __init__(
        self,
        filters: int | Sequence[int],
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        kernel_initializer: Initializer = "he_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            use_skip_connection=use_skip_connection,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class Encoder2D(FixedRank, Encoder):
    """2D encoder block; the N-d :class:`Encoder` with ``rank=2``.

    Args:
        filters: output channels of the convolutions: an int (one
            convolution) or a list of ints (one convolution each).
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            convolution) of those.
        strides: strides of the convolutions, as ``kernel_size``.
        padding: ``"same"`` or ``"valid"`` (and ``"causal"`` in 1D).
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: dilation of the convolutions, as ``kernel_size``.
        groups: groups of the convolutions: an int or one per convolution; the
            downsampling convolution takes the last.
        use_skip_connection: also return the output of the convolutions (the
            skip of a U-Net) with the downsampled one.
        activation: activation of the convolutions (the downsampling one has
            none).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``.

    Returns:
        ``down``, the convolutions' output downsampled by a convolution of
        kernel 2 and stride 2 ("same" padding: a size ``n`` becomes
        ``(n + 1) // 2``) with ``filters[-1]`` channels; with
        ``use_skip_connection``, the pair ``(down, skip)``, ``skip`` being the
        convolutions' output before downsampling.

    Example:

    >>> import numpy as np
    >>> y = Encoder2D(4, kernel_size=3)(np.ones((2, 8, 6, 3), "float32"))
    >>> tuple(y.shape)
    (2, 4, 3, 4)
    """

    def __init__(
        self,
        filters: int | Sequence[int],
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        kernel_initializer: Initializer = "he_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            use_skip_connection=use_skip_connection,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class Encoder3D(FixedRank, Encoder):
    """3D encoder block; the N-d :class:`Encoder` with ``rank=3``.

    Args:
        filters: output channels of the convolutions: an int (one
            convolution) or a list of ints (one convolution each).
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            convolution) of those.
        strides: strides of the convolutions, as ``kernel_size``.
        padding: ``"same"`` or ``"valid"`` (and ``"causal"`` in 1D).
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: dilation of the convolutions, as ``kernel_size``.
        groups: groups of the convolutions: an int or one per convolution; the
            downsampling convolution takes the last.
        use_skip_connection: also return the output of the convolutions (the
            skip of a U-Net) with the downsampled one.
        activation: activation of the convolutions (the downsampling one has
            none).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``.

    Returns:
        ``down``, the convolutions' output downsampled by a convolution of
        kernel 2 and stride 2 ("same" padding: a size ``n`` becomes
        ``(n + 1) // 2``) with ``filters[-1]`` channels; with
        ``use_skip_connection``, the pair ``(down, skip)``, ``skip`` being the
        convolutions' output before downsampling.

    Example:

    >>> import numpy as np
    >>> y = Encoder3D(2, kernel_size=3)(np.ones((1, 4, 4, 5, 1), "float32"))
    >>> tuple(y.shape)
    (1, 2, 2, 3, 2)
    """

    def __init__(
        self,
        filters: int | Sequence[int],
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        kernel_initializer: Initializer = "he_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            3,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            use_skip_connection=use_skip_connection,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
