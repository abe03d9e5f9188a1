"""What the encoder and decoder blocks and the autoencoder models share: the
keras convolutions by rank, kerex's list/tuple conventions, the merge layers, the
weight options of their convolutions and the channel-axis moves.

kerex's conventions: a list gives one value per entry (per convolution in a block,
per level in a model), a tuple (or an int) one value for all entries, with one
int per spatial axis for sizes.
"""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.blocks._common import (
    WEIGHT_OPTIONS_WITH_CONSTRAINTS,
    weight_config,
    weight_options,
)
from kx.ops import checks
from kx.ops.types import Config

__all__ = [
    "CONV",
    "CONV_TRANSPOSE",
    "MERGE_LAYERS",
    "ConvBlock",
    "FixedRank",
    "check_input_rank",
    "conv_config",
    "conv_filters",
    "conv_options",
    "deserialize_merge_layer",
    "first_to_last",
    "last_to_first",
    "make_merge_layer",
    "per_entry",
    "serialize_merge_layer",
    "set_conv_options",
    "shape_to_first",
    "shape_to_last",
]

CONV = {1: keras.layers.Conv1D, 2: keras.layers.Conv2D, 3: keras.layers.Conv3D}
CONV_TRANSPOSE = {
    1: keras.layers.Conv1DTranspose,
    2: keras.layers.Conv2DTranspose,
    3: keras.layers.Conv3DTranspose,
}
MERGE_LAYERS = {
    "add": keras.layers.Add,
    "average": keras.layers.Average,
    "concatenate": keras.layers.Concatenate,
    "maximum": keras.layers.Maximum,
    "minimum": keras.layers.Minimum,
    "multiply": keras.layers.Multiply,
    "subtract": keras.layers.Subtract,
}


def conv_filters(value, name, owner):
    """An int or a non-empty list/tuple of positive ints, as a list of ints."""
    items = list(value) if isinstance(value, list | tuple) else [value]
    ok = bool(items) and all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in items
    )
    if not ok:
        checks.fail(
            owner, name, value, "a positive int or a non-empty list of positive ints"
        )
    return [int(v) for v in items]


def per_entry(value, n, name, owner, normalize, what):
    """kerex's convention: a list gives one value per entry (``n`` of them, one
    per ``what``), anything else is one value for every entry; each value goes
    through ``normalize``."""
    if isinstance(value, list):
        if len(value) != n:
            checks.fail(
                owner,
                name,
                value,
                f"one value or a list of {n} values (one per {what}, as many as "
                "`filters` has)",
            )
        return [normalize(v) for v in value]
    return [normalize(value)] * n


def set_conv_options(layer, activation, use_bias, **weights):
    """The activation, bias flag and weight options every convolution of a block
    or model gets, set on ``layer``."""
    owner = type(layer).__name__
    layer.activation = checks.activation(activation, "activation", owner)
    layer.use_bias = checks.boolean(use_bias, "use_bias", owner)
    weight_options(layer, **weights)


def conv_options(layer):
    """The keyword arguments of a keras convolution set by ``set_conv_options``
    (activation apart), in the layer's dtype policy."""
    options = {name: getattr(layer, name) for name in WEIGHT_OPTIONS_WITH_CONSTRAINTS}
    return {"use_bias": layer.use_bias, "dtype": layer.dtype_policy, **options}


def conv_config(layer):
    """The config entries of ``set_conv_options``."""
    return {
        "activation": keras.activations.serialize(layer.activation),
        "use_bias": layer.use_bias,
        **weight_config(layer, *WEIGHT_OPTIONS_WITH_CONSTRAINTS),
    }


def make_merge_layer(value, owner, dtype, name):
    """A merge layer along the (channels-last) channel axis from its name, or a
    copy of a keras Layer."""
    if isinstance(value, keras.layers.Layer):
        return type(value).from_config(value.get_config())
    if not isinstance(value, str) or value not in MERGE_LAYERS:
        checks.fail(
            owner, "merge_layer", value, f"one of {sorted(MERGE_LAYERS)} or a Layer"
        )
    if value == "concatenate":
        return keras.layers.Concatenate(axis=-1, dtype=dtype, name=name)
    return MERGE_LAYERS[value](dtype=dtype, name=name)


def serialize_merge_layer(value):
    if isinstance(value, str):
        return value
    return keras.saving.serialize_keras_object(value)


def deserialize_merge_layer(value):
    if isinstance(value, dict):
        return keras.saving.deserialize_keras_object(value)
    return value


def check_input_rank(shape, rank, owner, name="input_shape"):
    """An input of a rank-N block or model has N + 2 dims and known channels."""
    shape = tuple(shape)
    if len(shape) != rank + 2:
        checks.fail(
            owner,
            name,
            shape,
            f"a shape of {rank + 2} dims (batch, {rank} spatial, channels)",
        )
    return shape


def first_to_last(x, data_format):
    """A tensor in ``data_format`` moved to channels last."""
    return ops.moveaxis(x, 1, -1) if data_format == "channels_first" else x


def last_to_first(x, data_format):
    """A channels-last tensor moved to ``data_format``."""
    return ops.moveaxis(x, -1, 1) if data_format == "channels_first" else x


def shape_to_last(shape, data_format):
    shape = tuple(shape)
    if data_format == "channels_first":
        return (shape[0], *shape[2:], shape[1])
    return shape


def shape_to_first(shape, data_format):
    shape = tuple(shape)
    if data_format == "channels_first":
        return (shape[0], shape[-1], *shape[1:-1])
    return shape


class ConvBlock(keras.layers.Layer):
    """The convolutions of an encoder or decoder block (one per entry of
    ``filters``), run channels last; the blocks subclass it."""

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides,
        padding,
        data_format,
        dilation_rate,
        groups,
        activation,
        use_bias,
        kernel_initializer,
        bias_initializer,
        kernel_regularizer,
        bias_regularizer,
        kernel_constraint,
        bias_constraint,
        **kwargs,
    ):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = checks.check_rank(rank, owner)
        self.filters = conv_filters(filters, "filters", owner)
        n = len(self.filters)

        def sizes(value, name):
            def normalize(v):
                return checks.int_tuple(v, self.rank, name, owner)

            return per_entry(value, n, name, owner, normalize, "convolution")

        self.kernel_size = sizes(kernel_size, "kernel_size")
        self.strides = sizes(strides, "strides")
        self.dilation_rate = sizes(dilation_rate, "dilation_rate")
        self.groups = per_entry(
            groups,
            n,
            "groups",
            owner,
            lambda v: checks.positive_int(v, "groups", owner),
            "convolution",
        )
        paddings = ("same", "valid", "causal") if self.rank == 1 else ("same", "valid")
        self.padding = checks.one_of(padding, "padding", paddings, owner)
        self.data_format = checks.data_format(data_format, owner)
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
        try:
            self.convs = [
                CONV[self.rank](
                    filters=f,
                    kernel_size=k,
                    strides=s,
                    padding=self.padding,
                    data_format="channels_last",
                    dilation_rate=d,
                    groups=g,
                    activation=self.activation,
                    name=f"conv_{i}",
                    **conv_options(self),
                )
                for i, (f, k, s, d, g) in enumerate(
                    zip(
                        self.filters,
                        self.kernel_size,
                        self.strides,
                        self.dilation_rate,
                        self.groups,
                    )
                )
            ]
        except ValueError as error:
            raise ValueError(
                f"{owner}: invalid convolution argument: {error}"
            ) from None

    def _check_input(self, shape, name="input_shape"):
        """The shape, checked, moved to channels last."""
        owner = type(self).__name__
        shape = shape_to_last(
            check_input_rank(shape, self.rank, owner, name), self.data_format
        )
        if shape[-1] is None:
            checks.fail(owner, name, shape, "a shape with a known channel axis")
        checks.nonempty_axes(shape, range(1, self.rank + 1), owner, name)
        return shape

    def _check_nonempty(self, x, name="inputs"):
        """A ValueError when a (static) spatial axis of ``x``, in the block's data
        format, has length zero: there is nothing to convolve."""
        axes = checks.spatial_axes(self.rank, self.data_format)
        checks.nonempty_axes(ops.shape(x), axes, type(self).__name__, name)

    def _build_convs(self, shape):
        for conv in self.convs:
            conv.build(shape)
            shape = conv.compute_output_shape(shape)
        return tuple(shape)

    def _convs_shape(self, shape):
        for conv in self.convs:
            shape = conv.compute_output_shape(shape)
        return tuple(shape)

    def _run_convs(self, x):
        for conv in self.convs:
            x = conv(x)
        return x

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "rank": self.rank,
                "filters": list(self.filters),
                "kernel_size": [list(k) for k in self.kernel_size],
                "strides": [list(s) for s in self.strides],
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": [list(d) for d in self.dilation_rate],
                "groups": list(self.groups),
                **conv_config(self),
            }
        )
        return config


# FixedRank is a mixin before a keras Layer in the rank subclasses' bases: its base
# is `object`, typed Any (as keras is) so that its `super().get_config()` type-checks
_MixinBase: Any = object


class FixedRank(_MixinBase):
    """The rank subclasses: the rank is the class's, so it stays out of the config."""

    def get_config(self) -> Config:
        config = super().get_config()
        config.pop("rank", None)
        return config
