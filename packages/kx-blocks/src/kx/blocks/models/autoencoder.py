"""The 18 convolutional autoencoders of kerex (``FCN``, ``SmoothFCN``,
``FourierFCN``, ``Unet``, ``SmoothUnet``, ``FourierUnet``, each in 1D, 2D and 3D),
all one N-d model: :class:`ConvAutoencoder`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from kx.blocks._conv_stack import (
    CONV,
    FixedRank,
    check_input_rank,
    conv_config,
    conv_filters,
    conv_options,
    deserialize_merge_layer,
    first_to_last,
    last_to_first,
    make_merge_layer,
    per_entry,
    serialize_merge_layer,
    set_conv_options,
    shape_to_first,
    shape_to_last,
)
from kx.blocks.decoder import INTERPOLATIONS, Decoder, FourierDecoder, SmoothDecoder
from kx.blocks.encoder import Encoder
from kx.ops import checks
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
    "ConvAutoencoder",
    "FCN",
    "FCN1D",
    "FCN2D",
    "FCN3D",
    "FourierFCN",
    "FourierFCN1D",
    "FourierFCN2D",
    "FourierFCN3D",
    "FourierUnet",
    "FourierUnet1D",
    "FourierUnet2D",
    "FourierUnet3D",
    "SmoothFCN",
    "SmoothFCN1D",
    "SmoothFCN2D",
    "SmoothFCN3D",
    "SmoothUnet",
    "SmoothUnet1D",
    "SmoothUnet2D",
    "SmoothUnet3D",
    "Unet",
    "Unet1D",
    "Unet2D",
    "Unet3D",
]

UPSAMPLINGS = ("transpose", "smooth", "fourier")


@keras.saving.register_keras_serializable(package="kx")
class ConvAutoencoder(keras.Model):
    """A convolutional autoencoder: one :class:`kx.blocks.Encoder` per level, an
    optional bottleneck, one decoder per level in reverse order.

    The one implementation behind kerex's FCN and U-Net families (the classes
    of this module fix ``upsampling`` and, for the U-Nets, the skips). Level ``i``
    encodes with ``filters[i]`` and halves every spatial axis; its decoder
    upsamples, merges that level's skip (where ``use_skip_connection``) and
    convolves with the same ``filters[i]``. Spatial sizes that ``2 ** depth``
    does not divide are padded at the end and the output is cropped back (kerex
    returns another size or fails), and None sizes work: one built model takes
    any size.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        upsampling: the decoders' upsampling: ``"transpose"`` (transposed
            convolution, :class:`kx.blocks.Decoder`), ``"smooth"``
            (:class:`kx.blocks.SmoothDecoder`) or ``"fourier"``
            (:class:`kx.blocks.FourierDecoder`).
        interpolation: of the smooth upsampling: ``"nearest"``, and in 2D also
            ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        scaling_factor: the Fourier upsampling factor of each decoder: an int, a
            tuple (one per spatial axis) or a list (one per level) of those; 2
            wherever a level has a skip. The output's spatial size is the input's
            times the product of the factors over ``2 ** depth``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = ConvAutoencoder(1, filters=[2, 4], kernel_size=3, upsampling="smooth")
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 2)
    """

    FIXED: tuple[str, ...] = ()

    def __init__(
        self,
        rank: int,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        upsampling: str = "transpose",
        interpolation: str = "nearest",
        scaling_factor: IntOrTuple | list[IntOrTuple] = 2,
        output_filters: int | None = None,
        kernel_initializer: Initializer = "he_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank = checks.check_rank(rank, owner)
        if not isinstance(filters, list | tuple) or not filters:
            checks.fail(owner, "filters", filters, "a non-empty list of levels")
        levels = [conv_filters(f, "filters", owner) for f in filters]
        self.filters = [f if isinstance(f, int) else list(f) for f in filters]
        depth = self.depth = len(levels)

        def level_values(value, name, normalize):
            return per_entry(value, depth, name, owner, normalize, "level")

        def sizes(value, name):
            return level_values(
                value, name, lambda v: checks.int_tuple(v, rank, name, owner)
            )

        self.kernel_size = sizes(kernel_size, "kernel_size")
        self.strides = sizes(strides, "strides")
        if any(s != (1,) * rank for s in self.strides):
            checks.fail(
                owner,
                "strides",
                strides,
                "1 at every level (each level's size is set by its strided "
                "downsampling; other strides would change the output's size)",
            )
        self.dilation_rate = sizes(dilation_rate, "dilation_rate")
        self.groups = level_values(
            groups, "groups", lambda v: checks.positive_int(v, "groups", owner)
        )
        paddings = ("same", "causal") if rank == 1 else ("same",)
        self.padding = level_values(
            padding,
            "padding",
            lambda v: checks.one_of(v, "padding", paddings, owner),
        )
        self.use_skip_connection = level_values(
            use_skip_connection,
            "use_skip_connection",
            lambda v: checks.boolean(v, "use_skip_connection", owner),
        )
        self.data_format = checks.data_format(data_format, owner)
        self.upsampling = checks.one_of(upsampling, "upsampling", UPSAMPLINGS, owner)
        self.interpolation = checks.one_of(
            interpolation, "interpolation", INTERPOLATIONS[rank], owner
        )
        self.scaling_factor = sizes(scaling_factor, "scaling_factor")
        for factor, skip in zip(self.scaling_factor, self.use_skip_connection):
            if skip and factor != (2,) * rank:
                checks.fail(
                    owner,
                    "scaling_factor",
                    scaling_factor,
                    "2 at every level with a skip connection (the skip has twice "
                    "the size of the level below)",
                )
        self.merge_layer = deserialize_merge_layer(merge_layer)
        make_merge_layer(self.merge_layer, owner, None, None)  # validates
        self.bottleneck = checks.a_layer(
            bottleneck, "bottleneck", owner, allow_none=True
        )
        self.output_filters = checks.optional(
            checks.positive_int, output_filters, "output_filters", owner
        )
        set_conv_options(
            self,
            activation,
            use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
        )
        # the blocks run channels last: the model moves the axes once
        block = {
            "data_format": "channels_last",
            "activation": self.activation,
            **conv_options(self),
        }
        self.encoders = [
            Encoder(
                rank,
                filters=f,
                kernel_size=[k] * len(f),
                padding=p,
                dilation_rate=[d] * len(f),
                groups=g,
                use_skip_connection=skip,
                name=f"encoder_{i}",
                **block,
            )
            for i, (f, k, p, d, g, skip) in enumerate(
                zip(
                    levels,
                    self.kernel_size,
                    self.padding,
                    self.dilation_rate,
                    self.groups,
                    self.use_skip_connection,
                )
            )
        ]
        self.decoders = []
        for i, (f, k, p, d, g, factor) in enumerate(
            zip(
                levels,
                self.kernel_size,
                self.padding,
                self.dilation_rate,
                self.groups,
                self.scaling_factor,
            )
        ):
            options = {
                "filters": f,
                "kernel_size": [k] * len(f),
                "padding": p,
                "dilation_rate": [d] * len(f),
                "groups": g,
                "merge_layer": self.merge_layer,
                "name": f"decoder_{i}",
                **block,
            }
            if self.upsampling == "transpose":
                decoder = Decoder(rank, **options)
            elif self.upsampling == "smooth":
                decoder = SmoothDecoder(
                    rank, interpolation=self.interpolation, **options
                )
            else:
                decoder = FourierDecoder(rank, scaling_factor=factor, **options)
            self.decoders.append(decoder)
        self.head = None
        if self.output_filters is not None:
            self.head = CONV[rank](
                filters=self.output_filters,
                kernel_size=1,
                data_format="channels_last",
                name="head",
                **conv_options(self),
            )

    # -- shapes -------------------------------------------------------------------

    def _growth(self):
        """Per axis, (numerator, denominator) of the output size over the input's."""
        den = 2**self.depth
        num = [1] * self.rank
        for factor in self.scaling_factor if self.upsampling == "fourier" else ():
            num = [n * f for n, f in zip(num, factor)]
        if self.upsampling != "fourier":
            num = [den] * self.rank
        return num, den

    def _padded(self, n):
        """The padded size of an axis of size ``n``: a multiple of ``2 ** depth``
        (and, for the Fourier resampling, at least 2 at the deepest level)."""
        den = 2**self.depth
        padded = (n + den - 1) // den * den
        if self.upsampling != "fourier":
            return padded
        if isinstance(padded, int):
            return max(padded, 2 * den)
        return ops.maximum(padded, 2 * den)

    def _bottleneck_shape(self, shape, build):
        if self.bottleneck is None:
            return shape
        shape = shape_to_first(shape, self.data_format)
        if build and not self.bottleneck.built:
            self.bottleneck.build(shape)
        shape = self.bottleneck.compute_output_shape(shape)
        return shape_to_last(shape, self.data_format)

    def _shapes(self, input_shape, build):
        owner = type(self).__name__
        shape = check_input_rank(input_shape, self.rank, owner)
        shape = shape_to_last(shape, self.data_format)
        if shape[-1] is None:
            checks.fail(owner, "input_shape", shape, "a shape with known channels")
        checks.nonempty_axes(shape, range(1, self.rank + 1), owner, "input_shape")
        padded = [None if n is None else self._padded(n) for n in shape[1:-1]]
        shape = (shape[0], *padded, shape[-1])
        skips = []
        for encoder in self.encoders:
            if build:
                encoder.build(shape)
            shape = encoder.compute_output_shape(shape)
            if encoder.use_skip_connection:
                shape, skip = shape
                skips.append(skip)
            else:
                skips.append(None)
        shape = self._bottleneck_shape(tuple(shape), build)
        for decoder, skip in reversed(list(zip(self.decoders, skips))):
            if build:
                decoder.build(shape, skip)
            shape = decoder.compute_output_shape(shape, skip)
        if self.head is not None:
            if build:
                self.head.build(shape)
            shape = self.head.compute_output_shape(shape)
        return tuple(shape)

    def build(self, input_shape: Shape) -> None:
        self._shapes(input_shape, build=True)
        self.built = True

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        out = self._shapes(input_shape, build=False)
        sizes = shape_to_last(input_shape, self.data_format)[1:-1]
        num, den = self._growth()
        sizes = [None if n is None else n * u // den for n, u in zip(sizes, num)]
        return shape_to_first((out[0], *sizes, out[-1]), self.data_format)

    # -- call ---------------------------------------------------------------------

    def call(self, inputs: Tensor) -> Tensor:
        spatial = checks.spatial_axes(self.rank, self.data_format)
        checks.nonempty_axes(ops.shape(inputs), spatial, type(self).__name__)
        x = first_to_last(inputs, self.data_format)
        den = 2**self.depth
        sizes = [
            x.shape[axis] if x.shape[axis] is not None else ops.shape(x)[axis]
            for axis in range(1, self.rank + 1)
        ]
        pads = [self._padded(n) - n for n in sizes]
        if not all(isinstance(p, int) and p == 0 for p in pads):
            x = ops.pad(x, [[0, 0], *[[0, p] for p in pads], [0, 0]])
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            if encoder.use_skip_connection:
                x, skip = x
                skips.append(skip)
            else:
                skips.append(None)
        if self.bottleneck is not None:
            x = first_to_last(
                self.bottleneck(last_to_first(x, self.data_format)), self.data_format
            )
        for decoder, skip in reversed(list(zip(self.decoders, skips))):
            x = decoder(x) if skip is None else decoder(x, skip)
        if self.head is not None:
            x = self.head(x)
        num, _ = self._growth()
        crop = tuple(slice(0, n * u // den) for n, u in zip(sizes, num))
        x = x[(slice(None), *crop, slice(None))]
        return last_to_first(x, self.data_format)

    # -- config -------------------------------------------------------------------

    def get_config(self) -> Config:
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": keras.saving.serialize_keras_object(self.dtype_policy),
            "rank": self.rank,
            "filters": list(self.filters),
            "kernel_size": [list(k) for k in self.kernel_size],
            "strides": [list(s) for s in self.strides],
            "padding": list(self.padding),
            "data_format": self.data_format,
            "dilation_rate": [list(d) for d in self.dilation_rate],
            "groups": list(self.groups),
            "use_skip_connection": list(self.use_skip_connection),
            "bottleneck": None
            if self.bottleneck is None
            else keras.saving.serialize_keras_object(self.bottleneck),
            "merge_layer": serialize_merge_layer(self.merge_layer),
            "upsampling": self.upsampling,
            "interpolation": self.interpolation,
            "scaling_factor": [list(f) for f in self.scaling_factor],
            "output_filters": self.output_filters,
            **conv_config(self),
        }
        for key in self.FIXED:
            config.pop(key)
        return config

    @classmethod
    def from_config(cls, config: Config) -> ConvAutoencoder:
        config = dict(config)
        if config.get("bottleneck") is not None:
            config["bottleneck"] = keras.saving.deserialize_keras_object(
                config["bottleneck"]
            )
        return cls(**config)


@keras.saving.register_keras_serializable(package="kx")
class FCN(ConvAutoencoder):
    """A fully convolutional autoencoder (kerex's FCN), transposed convolutions.

    Skips per level with ``use_skip_connection``.

    :class:`ConvAutoencoder` with ``upsampling="transpose"``.
    Use :class:`FCN1D`, :class:`FCN2D` or :class:`FCN3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FCN(1, filters=[2, 4], kernel_size=3)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 2)
    """

    FIXED = ("upsampling", "interpolation", "scaling_factor")

    def __init__(
        self,
        rank: int,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            use_skip_connection=use_skip_connection,
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            upsampling="transpose",
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FCN1D(FixedRank, FCN):
    """1D FCN; the N-d :class:`FCN` with ``rank=1``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FCN1D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FCN2D(FixedRank, FCN):
    """2D FCN; the N-d :class:`FCN` with ``rank=2``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FCN2D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 7, 5, 1), "float32")).shape)
    (2, 7, 5, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FCN3D(FixedRank, FCN):
    """3D FCN; the N-d :class:`FCN` with ``rank=3``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FCN3D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((1, 5, 5, 3, 1), "float32")).shape)
    (1, 5, 5, 3, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothFCN(ConvAutoencoder):
    """A fully convolutional autoencoder with smooth-upsampling decoders.

    Skips per level with ``use_skip_connection``.

    :class:`ConvAutoencoder` with ``upsampling="smooth"``.
    Use :class:`SmoothFCN1D`, :class:`SmoothFCN2D` or :class:`SmoothFCN3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        interpolation: of the smooth upsampling: ``"nearest"``, and in 2D also
            ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = SmoothFCN(1, filters=[2, 4], kernel_size=3)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 2)
    """

    FIXED = ("upsampling", "scaling_factor")

    def __init__(
        self,
        rank: int,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
        output_filters: int | None = None,
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
            use_skip_connection=use_skip_connection,
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            upsampling="smooth",
            interpolation=interpolation,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothFCN1D(FixedRank, SmoothFCN):
    """1D SmoothFCN; the N-d :class:`SmoothFCN` with ``rank=1``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        interpolation: of the smooth upsampling: ``"nearest"``, and in 2D also
            ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = SmoothFCN1D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
        output_filters: int | None = None,
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
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            interpolation=interpolation,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothFCN2D(FixedRank, SmoothFCN):
    """2D SmoothFCN; the N-d :class:`SmoothFCN` with ``rank=2``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        interpolation: of the smooth upsampling: ``"nearest"``, and in 2D also
            ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = SmoothFCN2D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 7, 5, 1), "float32")).shape)
    (2, 7, 5, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
        output_filters: int | None = None,
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
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            interpolation=interpolation,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothFCN3D(FixedRank, SmoothFCN):
    """3D SmoothFCN; the N-d :class:`SmoothFCN` with ``rank=3``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        interpolation: of the smooth upsampling: ``"nearest"``, and in 2D also
            ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = SmoothFCN3D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((1, 5, 5, 3, 1), "float32")).shape)
    (1, 5, 5, 3, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
        output_filters: int | None = None,
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
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            interpolation=interpolation,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FourierFCN(ConvAutoencoder):
    """A fully convolutional autoencoder with Fourier-upsampling decoders.

    Skips per level with ``use_skip_connection``.

    :class:`ConvAutoencoder` with ``upsampling="fourier"``.
    Use :class:`FourierFCN1D`, :class:`FourierFCN2D` or :class:`FourierFCN3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        scaling_factor: the Fourier upsampling factor of each decoder: an int, a
            tuple (one per spatial axis) or a list (one per level) of those; 2
            wherever a level has a skip. The output's spatial size is the input's
            times the product of the factors over ``2 ** depth``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FourierFCN(1, filters=[2, 4], kernel_size=3)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 2)
    """

    FIXED = ("upsampling", "interpolation")

    def __init__(
        self,
        rank: int,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        scaling_factor: IntOrTuple | list[IntOrTuple] = 2,
        output_filters: int | None = None,
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
            use_skip_connection=use_skip_connection,
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            upsampling="fourier",
            scaling_factor=scaling_factor,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FourierFCN1D(FixedRank, FourierFCN):
    """1D FourierFCN; the N-d :class:`FourierFCN` with ``rank=1``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        scaling_factor: the Fourier upsampling factor of each decoder: an int, a
            tuple (one per spatial axis) or a list (one per level) of those; 2
            wherever a level has a skip. The output's spatial size is the input's
            times the product of the factors over ``2 ** depth``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FourierFCN1D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        scaling_factor: IntOrTuple | list[IntOrTuple] = 2,
        output_filters: int | None = None,
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
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            scaling_factor=scaling_factor,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FourierFCN2D(FixedRank, FourierFCN):
    """2D FourierFCN; the N-d :class:`FourierFCN` with ``rank=2``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        scaling_factor: the Fourier upsampling factor of each decoder: an int, a
            tuple (one per spatial axis) or a list (one per level) of those; 2
            wherever a level has a skip. The output's spatial size is the input's
            times the product of the factors over ``2 ** depth``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FourierFCN2D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 7, 5, 1), "float32")).shape)
    (2, 7, 5, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        scaling_factor: IntOrTuple | list[IntOrTuple] = 2,
        output_filters: int | None = None,
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
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            scaling_factor=scaling_factor,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FourierFCN3D(FixedRank, FourierFCN):
    """3D FourierFCN; the N-d :class:`FourierFCN` with ``rank=3``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        use_skip_connection: a bool or a list of one per level: pass that level's
            encoder output to its decoder (all True: a U-Net).
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        scaling_factor: the Fourier upsampling factor of each decoder: an int, a
            tuple (one per spatial axis) or a list (one per level) of those; 2
            wherever a level has a skip. The output's spatial size is the input's
            times the product of the factors over ``2 ** depth``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FourierFCN3D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((1, 5, 5, 3, 1), "float32")).shape)
    (1, 5, 5, 3, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        use_skip_connection: bool | list[bool] = False,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        scaling_factor: IntOrTuple | list[IntOrTuple] = 2,
        output_filters: int | None = None,
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
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            scaling_factor=scaling_factor,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class Unet(ConvAutoencoder):
    """A U-Net (Ronneberger et al., 2015): an FCN with a skip at every level.

    :class:`ConvAutoencoder` with ``upsampling="transpose"``, a skip at every level.
    Use :class:`Unet1D`, :class:`Unet2D` or :class:`Unet3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = Unet(1, filters=[2, 4], kernel_size=3)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 2)
    """

    FIXED = ("use_skip_connection", "upsampling", "interpolation", "scaling_factor")

    def __init__(
        self,
        rank: int,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            use_skip_connection=True,
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            upsampling="transpose",
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class Unet1D(FixedRank, Unet):
    """1D Unet; the N-d :class:`Unet` with ``rank=1``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = Unet1D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class Unet2D(FixedRank, Unet):
    """2D Unet; the N-d :class:`Unet` with ``rank=2``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = Unet2D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 7, 5, 1), "float32")).shape)
    (2, 7, 5, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class Unet3D(FixedRank, Unet):
    """3D Unet; the N-d :class:`Unet` with ``rank=3``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = Unet3D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((1, 5, 5, 3, 1), "float32")).shape)
    (1, 5, 5, 3, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothUnet(ConvAutoencoder):
    """A U-Net with smooth (upsampling + convolution) decoders.

    :class:`ConvAutoencoder` with ``upsampling="smooth"``, a skip at every level.
    Use :class:`SmoothUnet1D`, :class:`SmoothUnet2D` or :class:`SmoothUnet3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        interpolation: of the smooth upsampling: ``"nearest"``, and in 2D also
            ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = SmoothUnet(1, filters=[2, 4], kernel_size=3)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 2)
    """

    FIXED = ("use_skip_connection", "upsampling", "scaling_factor")

    def __init__(
        self,
        rank: int,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
        output_filters: int | None = None,
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
            use_skip_connection=True,
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            upsampling="smooth",
            interpolation=interpolation,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothUnet1D(FixedRank, SmoothUnet):
    """1D SmoothUnet; the N-d :class:`SmoothUnet` with ``rank=1``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        interpolation: of the smooth upsampling: ``"nearest"``, and in 2D also
            ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = SmoothUnet1D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
        output_filters: int | None = None,
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
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            interpolation=interpolation,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothUnet2D(FixedRank, SmoothUnet):
    """2D SmoothUnet; the N-d :class:`SmoothUnet` with ``rank=2``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        interpolation: of the smooth upsampling: ``"nearest"``, and in 2D also
            ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = SmoothUnet2D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 7, 5, 1), "float32")).shape)
    (2, 7, 5, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
        output_filters: int | None = None,
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
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            interpolation=interpolation,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SmoothUnet3D(FixedRank, SmoothUnet):
    """3D SmoothUnet; the N-d :class:`SmoothUnet` with ``rank=3``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        interpolation: of the smooth upsampling: ``"nearest"``, and in 2D also
            ``"bilinear"``, ``"bicubic"``, ``"lanczos3"``, ``"lanczos5"``.
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = SmoothUnet3D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((1, 5, 5, 3, 1), "float32")).shape)
    (1, 5, 5, 3, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        interpolation: str = "nearest",
        output_filters: int | None = None,
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
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            interpolation=interpolation,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FourierUnet(ConvAutoencoder):
    """A U-Net with Fourier (spectral) upsampling decoders (factor 2).

    :class:`ConvAutoencoder` with ``upsampling="fourier"``, a skip at every level.
    Use :class:`FourierUnet1D`, :class:`FourierUnet2D` or :class:`FourierUnet3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FourierUnet(1, filters=[2, 4], kernel_size=3)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 2)
    """

    FIXED = ("use_skip_connection", "upsampling", "interpolation", "scaling_factor")

    def __init__(
        self,
        rank: int,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            use_skip_connection=True,
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            upsampling="fourier",
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FourierUnet1D(FixedRank, FourierUnet):
    """1D FourierUnet; the N-d :class:`FourierUnet` with ``rank=1``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FourierUnet1D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 9, 1), "float32")).shape)
    (2, 9, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FourierUnet2D(FixedRank, FourierUnet):
    """2D FourierUnet; the N-d :class:`FourierUnet` with ``rank=2``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FourierUnet2D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((2, 7, 5, 1), "float32")).shape)
    (2, 7, 5, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FourierUnet3D(FixedRank, FourierUnet):
    """3D FourierUnet; the N-d :class:`FourierUnet` with ``rank=3``.

    Args:
        filters: a list (or tuple) with one entry per level, which sets the
            depth: an int (one convolution) or a list of ints (one convolution
            each); the decoders mirror the encoders.
        kernel_size: an int, a tuple (one per spatial axis) or a list (one per
            level) of those.
        strides: strides of the blocks' convolutions, as ``kernel_size``; 1 (the
            strided downsampling sets each level's size).
        padding: ``"same"`` (and ``"causal"`` in 1D), or a list of one per
            level.
        data_format: ``"channels_last"``, ``"channels_first"`` or None (Keras's
            setting).
        dilation_rate: as ``kernel_size``.
        groups: an int or a list of one per level.
        activation: activation of the convolutions.
        use_bias: whether the convolutions have biases.
        bottleneck: None or a keras Layer run between the deepest encoder and
            decoder (on a tensor in ``data_format``); serialized with the model.
        merge_layer: how each skip joins: ``"concatenate"``, ``"add"``,
            ``"subtract"``, ``"multiply"``, ``"average"``, ``"maximum"``,
            ``"minimum"`` or a keras merge Layer (see :class:`kx.blocks.Decoder`).
        output_filters: None (the output has the first level's last ``filters``
            channels, as kerex) or the channels of a linear 1x1 convolution head.
        kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, kernel_constraint, bias_constraint: weight options
            of every convolution.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, *spatial, channels)`` (channels last) or
            ``(batch, channels, *spatial)``; spatial sizes of any value, or None.
            Sizes that ``2 ** depth`` does not divide are padded at the end and
            the output cropped back.

    Example:

    >>> import numpy as np
    >>> model = FourierUnet3D(filters=[2, 4], kernel_size=3, output_filters=1)
    >>> tuple(model(np.ones((1, 5, 5, 3, 1), "float32")).shape)
    (1, 5, 5, 3, 1)
    """

    def __init__(
        self,
        filters: Sequence[int | Sequence[int]] = (8, 16, 32),
        kernel_size: IntOrTuple | list[IntOrTuple] = 5,
        strides: IntOrTuple | list[IntOrTuple] = 1,
        padding: str | list[str] = "same",
        data_format: str | None = None,
        dilation_rate: IntOrTuple | list[IntOrTuple] = 1,
        groups: int | list[int] = 1,
        activation: Activation = "relu",
        use_bias: bool = True,
        bottleneck: Layer | None = None,
        merge_layer: str | Layer = "concatenate",
        output_filters: int | None = None,
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
            activation=activation,
            use_bias=use_bias,
            bottleneck=bottleneck,
            merge_layer=merge_layer,
            output_filters=output_filters,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
