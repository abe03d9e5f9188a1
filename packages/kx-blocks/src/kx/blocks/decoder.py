"""Decoders: upsampling, a merge with the encoder's skip, convolutions (kerex's
``Decoder``, ``SmoothDecoder`` and ``FourierDecoder`` in 1D/2D/3D)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from kx.blocks._conv_stack import (
    CONV,
    CONV_TRANSPOSE,
    ConvBlock,
    FixedRank,
    conv_options,
    deserialize_merge_layer,
    first_to_last,
    last_to_first,
    make_merge_layer,
    serialize_merge_layer,
    shape_to_first,
)
from kx.layers import SmoothUpSampling
from kx.ops import checks, fourier_resample
from kx.ops.types import (
    Activation,
    Config,
    Initializer,
    IntOrTuple,
    Layer,
    Shape,
    Tensor,
)

__all__ = [
    "Decoder",
    "Decoder1D",
    "Decoder2D",
    "Decoder3D",
    "FourierDecoder",
    "FourierDecoder1D",
    "FourierDecoder2D",
    "FourierDecoder3D",
    "SmoothDecoder",
    "SmoothDecoder1D",
    "SmoothDecoder2D",
    "SmoothDecoder3D",
]

INTERPOLATIONS = {
    1: ("nearest",),
    2: ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"),
    3: ("nearest",),
}


def _split(inputs, skip):
    """``(inputs, skip)`` from a call with the pair or with ``skip=``."""
    if isinstance(inputs, list | tuple):
        if skip is not None or len(inputs) not in (1, 2):
            raise ValueError(
                "A decoder takes `inputs` or the pair `(inputs, skip)`; got "
                f"{len(inputs)} inputs" + (" and `skip`." if skip is not None else ".")
            )
        return inputs[0], (inputs[1] if len(inputs) == 2 else None)
    return inputs, skip


def _split_shapes(inputs_shape, skip_shape):
    if inputs_shape and isinstance(inputs_shape[0], list | tuple):
        return _split(list(inputs_shape), skip_shape)
    return inputs_shape, skip_shape


@keras.saving.register_keras_serializable(package="kx")
class Decoder(ConvBlock):
    """Transposed-convolution upsampling, a merge with the skip, convolutions.

    The decoder block of kerex's autoencoders: a linear transposed convolution of
    kernel 2 and stride 2 doubles every spatial axis (to
    ``upsampling_filters`` channels); the skip, when given, is concatenated
    before the convolutions (one per entry of ``filters``) or merged after them
    (the other merge layers). It builds from its call, and every rank takes every
    argument.

    Use :class:`Decoder1D`, :class:`Decoder2D` or :class:`Decoder3D`.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis doubled (with "same" padding).

    Example:

    >>> import numpy as np
    >>> y = Decoder(1, [4], kernel_size=3)(np.ones((2, 5, 8), "float32"))
    >>> tuple(y.shape)
    (2, 10, 4)
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
        upsampling_filters: int | None = None,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
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
        owner = type(self).__name__
        self.upsampling_filters = (
            self.filters[0]
            if upsampling_filters is None
            else checks.positive_int(upsampling_filters, "upsampling_filters", owner)
        )
        self.merge_layer = deserialize_merge_layer(merge_layer)
        self.merge = make_merge_layer(
            self.merge_layer, owner, self.dtype_policy, "merge"
        )
        # kerex's order: a concatenated skip goes through the convolutions, the
        # other merges come after them
        self.merge_first = isinstance(self.merge, keras.layers.Concatenate)
        self.upsampling_layers = self._upsampling_layers()

    def _upsampling_layers(self):
        return [
            CONV_TRANSPOSE[self.rank](
                filters=self.upsampling_filters,
                kernel_size=2,
                strides=2,
                padding="same",
                data_format="channels_last",
                activation=None,
                name="upsampling",
                **conv_options(self),
            )
        ]

    def _resample(self, x):
        """The Fourier resampling (``None`` in ``upsampling_layers``)."""
        raise NotImplementedError

    def _resampled_shape(self, shape):
        raise NotImplementedError

    def _shapes(self, inputs_shape, skip_shape, build):
        inputs_shape, skip_shape = _split_shapes(inputs_shape, skip_shape)
        shape = self._check_input(inputs_shape)
        for layer in self.upsampling_layers:
            shape = self._resampled_shape(shape) if layer is None else shape
            if layer is not None and build:
                layer.build(shape)
            if layer is not None:
                shape = tuple(layer.compute_output_shape(shape))
        if skip_shape is not None:
            skip_shape = self._check_input(skip_shape, "skip_shape")
        convs = self._build_convs if build else self._convs_shape
        if self.merge_first and skip_shape is not None:
            shape = self._merge_shape((shape, skip_shape), build)
        shape = convs(shape)
        if not self.merge_first and skip_shape is not None:
            shape = self._merge_shape((shape, skip_shape), build)
        return shape_to_first(shape, self.data_format)

    def _merge_shape(self, shapes, build):
        if build:
            self.merge.build(list(shapes))
        return tuple(self.merge.compute_output_shape(list(shapes)))

    def build(
        self, inputs_shape: Shape | Sequence[Shape], skip_shape: Shape | None = None
    ) -> None:
        self._shapes(inputs_shape, skip_shape, build=True)

    def call(
        self, inputs: Tensor | Sequence[Tensor], skip: Tensor | None = None
    ) -> Tensor:
        inputs, skip = _split(inputs, skip)
        self._check_nonempty(inputs)
        if skip is not None:
            self._check_nonempty(skip, "skip")
        x = first_to_last(inputs, self.data_format)
        for layer in self.upsampling_layers:
            x = self._resample(x) if layer is None else layer(x)
        if skip is not None:
            skip = first_to_last(skip, self.data_format)
        if self.merge_first and skip is not None:
            x = self.merge([x, skip])
        x = self._run_convs(x)
        if not self.merge_first and skip is not None:
            x = self.merge([x, skip])
        return last_to_first(x, self.data_format)

    def compute_output_shape(
        self, inputs_shape: Shape | Sequence[Shape], skip_shape: Shape | None = None
    ) -> Shape:
        return self._shapes(inputs_shape, skip_shape, build=False)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "upsampling_filters": self.upsampling_filters,
                "merge_layer": serialize_merge_layer(self.merge_layer),
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class SmoothDecoder(Decoder):
    """Smooth upsampling (upsampling, then a convolution), a merge with the skip,
    convolutions.

    :class:`Decoder` with a :class:`kx.layers.SmoothUpSampling` (repeat or
    interpolate by 2, then a linear convolution of ``upsampling_kernel_size``)
    in place of the transposed convolution: no checkerboard artefacts. Every
    rank takes ``interpolation`` (kerex's 1D one cannot be constructed).

    Use :class:`SmoothDecoder1D`, :class:`SmoothDecoder2D` or
    :class:`SmoothDecoder3D`.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        upsampling_kernel_size: kernel size of the upsampling's convolution (an
            int or one per spatial axis); None takes ``kernel_size[0]``.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        interpolation: of the upsampling: ``"nearest"`` in every rank, and in 2D
            also ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis doubled (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = SmoothDecoder(2, [4], kernel_size=3, interpolation="bilinear")
    >>> tuple(layer(np.ones((2, 4, 3, 8), "float32")).shape)
    (2, 8, 6, 4)
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
        upsampling_filters: int | None = None,
        upsampling_kernel_size: IntOrTuple | None = None,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
        use_bias: bool = True,
        kernel_initializer: Initializer = "he_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        rank = checks.check_rank(rank, owner)
        self.interpolation = checks.one_of(
            interpolation, "interpolation", INTERPOLATIONS[rank], owner
        )
        self._upsampling_kernel_size = upsampling_kernel_size  # the argument
        super().__init__(
            rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            upsampling_filters=upsampling_filters,
            activation=activation,
            merge_layer=merge_layer,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )

    def _upsampling_layers(self):
        owner = type(self).__name__
        size = self._upsampling_kernel_size
        size = self.kernel_size[0] if size is None else size
        self.upsampling_kernel_size = checks.int_tuple(
            size, self.rank, "upsampling_kernel_size", owner
        )
        return [
            SmoothUpSampling(
                self.rank,
                filters=self.upsampling_filters,
                kernel_size=self.upsampling_kernel_size,
                size=2,
                padding="same",
                data_format="channels_last",
                activation=None,
                interpolation=self.interpolation,
                name="upsampling",
                **conv_options(self),
            )
        ]

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "upsampling_kernel_size": list(self.upsampling_kernel_size),
                "interpolation": self.interpolation,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class FourierDecoder(Decoder):
    """Fourier upsampling (spectral zero-padding, then a convolution), a merge
    with the skip, convolutions.

    :class:`Decoder` with Fourier resampling by ``scaling_factor``
    (``kx.ops.fourier_resample``, as :class:`kx.layers.FFTUpSampling`, at each
    call's own sizes: None sizes work in traced graphs too) and a linear convolution of
    ``upsampling_kernel_size`` in place of the transposed convolution.
    ``scaling_factor`` is kept in the config (kerex loses it on reload).

    Use :class:`FourierDecoder1D`, :class:`FourierDecoder2D` or
    :class:`FourierDecoder3D`.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        upsampling_kernel_size: kernel size of the upsampling's convolution (an
            int or one per spatial axis); None takes ``kernel_size[0]``.
        scaling_factor: the Fourier upsampling factor, an int or one per
            spatial axis.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis times
        ``scaling_factor`` (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = FourierDecoder(1, [4], kernel_size=3, scaling_factor=3)
    >>> tuple(layer(np.ones((2, 5, 8), "float32")).shape)
    (2, 15, 4)
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
        upsampling_filters: int | None = None,
        upsampling_kernel_size: IntOrTuple | None = None,
        scaling_factor: IntOrTuple = 2,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
        use_bias: bool = True,
        kernel_initializer: Initializer = "he_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        rank = checks.check_rank(rank, owner)
        self.scaling_factor = checks.int_tuple(
            scaling_factor, rank, "scaling_factor", owner
        )
        self._upsampling_kernel_size = upsampling_kernel_size  # the argument
        super().__init__(
            rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            groups=groups,
            upsampling_filters=upsampling_filters,
            activation=activation,
            merge_layer=merge_layer,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )

    def _upsampling_layers(self):
        owner = type(self).__name__
        size = self._upsampling_kernel_size
        size = self.kernel_size[0] if size is None else size
        self.upsampling_kernel_size = checks.int_tuple(
            size, self.rank, "upsampling_kernel_size", owner
        )
        return [
            None,  # the Fourier resampling, at every call's own sizes
            CONV[self.rank](
                filters=self.upsampling_filters,
                kernel_size=self.upsampling_kernel_size,
                padding="same",
                data_format="channels_last",
                activation=None,
                name="upsampling",
                **conv_options(self),
            ),
        ]

    def _resample(self, x):
        axes = tuple(range(1, self.rank + 1))
        sizes = [
            (x.shape[a] if x.shape[a] is not None else ops.shape(x)[a]) * f
            for a, f in zip(axes, self.scaling_factor)
        ]
        y = fourier_resample(x, sizes, axes, self.compute_dtype)
        return ops.cast(y, self.compute_dtype)

    def _resampled_shape(self, shape):
        sizes = [
            None if n is None else n * f
            for n, f in zip(shape[1:-1], self.scaling_factor)
        ]
        return (shape[0], *sizes, shape[-1])

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "upsampling_kernel_size": list(self.upsampling_kernel_size),
                "scaling_factor": list(self.scaling_factor),
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class Decoder1D(FixedRank, Decoder):
    """1D decoder block; the N-d :class:`Decoder` with ``rank=1``.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis doubled (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = Decoder1D([4], kernel_size=3)
    >>> x = np.ones((2, 5, 8), "float32")
    >>> skip = np.ones((2, 10, 4), "float32")
    >>> y = layer(x, skip=skip)
    >>> tuple(y.shape)
    (2, 10, 4)
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
        upsampling_filters: int | None = None,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
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
            upsampling_filters=upsampling_filters,
            activation=activation,
            merge_layer=merge_layer,
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
class Decoder2D(FixedRank, Decoder):
    """2D decoder block; the N-d :class:`Decoder` with ``rank=2``.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis doubled (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = Decoder2D([4], kernel_size=3)
    >>> x = np.ones((2, 4, 3, 8), "float32")
    >>> skip = np.ones((2, 8, 6, 4), "float32")
    >>> y = layer(x, skip=skip)
    >>> tuple(y.shape)
    (2, 8, 6, 4)
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
        upsampling_filters: int | None = None,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
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
            upsampling_filters=upsampling_filters,
            activation=activation,
            merge_layer=merge_layer,
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
class Decoder3D(FixedRank, Decoder):
    """3D decoder block; the N-d :class:`Decoder` with ``rank=3``.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis doubled (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = Decoder3D([4], kernel_size=3)
    >>> x = np.ones((1, 2, 2, 3, 8), "float32")
    >>> skip = np.ones((1, 4, 4, 6, 4), "float32")
    >>> y = layer(x, skip=skip)
    >>> tuple(y.shape)
    (1, 4, 4, 6, 4)
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
        upsampling_filters: int | None = None,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
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
            upsampling_filters=upsampling_filters,
            activation=activation,
            merge_layer=merge_layer,
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
class SmoothDecoder1D(FixedRank, SmoothDecoder):
    """1D smooth decoder block; the N-d :class:`SmoothDecoder` with ``rank=1``.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        upsampling_kernel_size: kernel size of the upsampling's convolution (an
            int or one per spatial axis); None takes ``kernel_size[0]``.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        interpolation: of the upsampling: ``"nearest"`` in every rank, and in 2D
            also ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis doubled (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = SmoothDecoder1D([4], kernel_size=3)
    >>> x = np.ones((2, 5, 8), "float32")
    >>> skip = np.ones((2, 10, 4), "float32")
    >>> y = layer(x, skip=skip)
    >>> tuple(y.shape)
    (2, 10, 4)
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
        upsampling_filters: int | None = None,
        upsampling_kernel_size: IntOrTuple | None = None,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
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
            upsampling_filters=upsampling_filters,
            upsampling_kernel_size=upsampling_kernel_size,
            activation=activation,
            merge_layer=merge_layer,
            interpolation=interpolation,
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
class SmoothDecoder2D(FixedRank, SmoothDecoder):
    """2D smooth decoder block; the N-d :class:`SmoothDecoder` with ``rank=2``.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        upsampling_kernel_size: kernel size of the upsampling's convolution (an
            int or one per spatial axis); None takes ``kernel_size[0]``.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        interpolation: of the upsampling: ``"nearest"`` in every rank, and in 2D
            also ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis doubled (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = SmoothDecoder2D([4], kernel_size=3)
    >>> x = np.ones((2, 4, 3, 8), "float32")
    >>> skip = np.ones((2, 8, 6, 4), "float32")
    >>> y = layer(x, skip=skip)
    >>> tuple(y.shape)
    (2, 8, 6, 4)
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
        upsampling_filters: int | None = None,
        upsampling_kernel_size: IntOrTuple | None = None,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
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
            upsampling_filters=upsampling_filters,
            upsampling_kernel_size=upsampling_kernel_size,
            activation=activation,
            merge_layer=merge_layer,
            interpolation=interpolation,
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
class SmoothDecoder3D(FixedRank, SmoothDecoder):
    """3D smooth decoder block; the N-d :class:`SmoothDecoder` with ``rank=3``.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        upsampling_kernel_size: kernel size of the upsampling's convolution (an
            int or one per spatial axis); None takes ``kernel_size[0]``.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        interpolation: of the upsampling: ``"nearest"`` in every rank, and in 2D
            also ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis doubled (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = SmoothDecoder3D([4], kernel_size=3)
    >>> x = np.ones((1, 2, 2, 3, 8), "float32")
    >>> skip = np.ones((1, 4, 4, 6, 4), "float32")
    >>> y = layer(x, skip=skip)
    >>> tuple(y.shape)
    (1, 4, 4, 6, 4)
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
        upsampling_filters: int | None = None,
        upsampling_kernel_size: IntOrTuple | None = None,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
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
            upsampling_filters=upsampling_filters,
            upsampling_kernel_size=upsampling_kernel_size,
            activation=activation,
            merge_layer=merge_layer,
            interpolation=interpolation,
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
class FourierDecoder1D(FixedRank, FourierDecoder):
    """1D Fourier decoder block; the N-d :class:`FourierDecoder` with ``rank=1``.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        upsampling_kernel_size: kernel size of the upsampling's convolution (an
            int or one per spatial axis); None takes ``kernel_size[0]``.
        scaling_factor: the Fourier upsampling factor, an int or one per
            spatial axis.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis times
        ``scaling_factor`` (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = FourierDecoder1D([4], kernel_size=3)
    >>> x = np.ones((2, 5, 8), "float32")
    >>> skip = np.ones((2, 10, 4), "float32")
    >>> y = layer(x, skip=skip)
    >>> tuple(y.shape)
    (2, 10, 4)
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
        upsampling_filters: int | None = None,
        upsampling_kernel_size: IntOrTuple | None = None,
        scaling_factor: IntOrTuple = 2,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
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
            upsampling_filters=upsampling_filters,
            upsampling_kernel_size=upsampling_kernel_size,
            scaling_factor=scaling_factor,
            activation=activation,
            merge_layer=merge_layer,
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
class FourierDecoder2D(FixedRank, FourierDecoder):
    """2D Fourier decoder block; the N-d :class:`FourierDecoder` with ``rank=2``.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        upsampling_kernel_size: kernel size of the upsampling's convolution (an
            int or one per spatial axis); None takes ``kernel_size[0]``.
        scaling_factor: the Fourier upsampling factor, an int or one per
            spatial axis.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis times
        ``scaling_factor`` (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = FourierDecoder2D([4], kernel_size=3)
    >>> x = np.ones((2, 4, 3, 8), "float32")
    >>> skip = np.ones((2, 8, 6, 4), "float32")
    >>> y = layer(x, skip=skip)
    >>> tuple(y.shape)
    (2, 8, 6, 4)
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
        upsampling_filters: int | None = None,
        upsampling_kernel_size: IntOrTuple | None = None,
        scaling_factor: IntOrTuple = 2,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
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
            upsampling_filters=upsampling_filters,
            upsampling_kernel_size=upsampling_kernel_size,
            scaling_factor=scaling_factor,
            activation=activation,
            merge_layer=merge_layer,
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
class FourierDecoder3D(FixedRank, FourierDecoder):
    """3D Fourier decoder block; the N-d :class:`FourierDecoder` with ``rank=3``.

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
        groups: groups of the convolutions: an int or one per convolution.
        upsampling_filters: output channels of the upsampling; None takes
            ``filters[0]``.
        upsampling_kernel_size: kernel size of the upsampling's convolution (an
            int or one per spatial axis); None takes ``kernel_size[0]``.
        scaling_factor: the Fourier upsampling factor, an int or one per
            spatial axis.
        activation: activation of the convolutions (the upsampling has none).
        merge_layer: how the skip joins: ``"concatenate"`` (before the
            convolutions, along the channels), ``"add"``, ``"subtract"``,
            ``"multiply"``, ``"average"``, ``"maximum"`` or ``"minimum"`` (after
            them: the skip needs the convolutions' ``filters[-1]`` channels), or a
            keras merge Layer (after the convolutions, unless a Concatenate).
        use_bias: whether the convolutions have biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``, or the pair ``(inputs, skip)``.
        skip: optional tensor merged with the upsampled ``inputs``: the skip of
            the encoder of the same level, of the upsampled spatial size.

    Returns:
        The upsampled, merged and convolved tensor, with ``filters[-1]``
        channels: every spatial axis times
        ``scaling_factor`` (with "same" padding).

    Example:

    >>> import numpy as np
    >>> layer = FourierDecoder3D([4], kernel_size=3)
    >>> x = np.ones((1, 2, 2, 3, 8), "float32")
    >>> skip = np.ones((1, 4, 4, 6, 4), "float32")
    >>> y = layer(x, skip=skip)
    >>> tuple(y.shape)
    (1, 4, 4, 6, 4)
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
        upsampling_filters: int | None = None,
        upsampling_kernel_size: IntOrTuple | None = None,
        scaling_factor: IntOrTuple = 2,
        activation: Activation = "relu",
        merge_layer: str | Layer = "concatenate",
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
            upsampling_filters=upsampling_filters,
            upsampling_kernel_size=upsampling_kernel_size,
            scaling_factor=scaling_factor,
            activation=activation,
            merge_layer=merge_layer,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
