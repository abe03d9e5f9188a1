"""Argument checks of the kx.layers classes.

The generic checks (ints, tuples, choices, ranks, data formats, layers) are
:mod:`kx.ops.checks`, shared by every kx package; this module adds the ones about
merge layers, scaling factors and channel axes. Every check raises a ``ValueError``
that names the class, the argument, the value it got and what it accepts.
"""

from __future__ import annotations

import math
import numbers

import keras
from keras import ops

from kx.ops import checks
from kx.ops.checks import (  # the family's shared checks, re-used here
    a_layer,
    check_rank,
    data_format,
    int_tuple,
    one_of,
    positive_int,
)

__all__ = [
    "a_layer",
    "channel_axis",
    "check_rank",
    "data_format",
    "deserialize_merge_layer",
    "factorization_rank",
    "input_rank",
    "int_tuple",
    "known_channels",
    "merge_layer",
    "one_of",
    "positive_int",
    "scaled_size",
    "scaling_factors",
    "serialize_merge_layer",
    "spatial_axes",
]

MERGE_LAYERS = {
    "add": keras.layers.Add,
    "subtract": keras.layers.Subtract,
    "multiply": keras.layers.Multiply,
    "average": keras.layers.Average,
    "maximum": keras.layers.Maximum,
    "minimum": keras.layers.Minimum,
    "concatenate": keras.layers.Concatenate,
}


def scaling_factors(value, n, name, owner):
    """``None``, a positive number or ``n`` of them, as ``None`` or ``n`` floats."""
    if value is None:
        return None
    items = value if isinstance(value, list | tuple) else (value,) * n
    ok = len(items) == n and all(
        isinstance(f, int | float) and not isinstance(f, bool) and 0 < f < math.inf
        for f in items
    )
    if not ok:
        raise ValueError(
            f"{owner}: `{name}` must be None, a positive number or a tuple of {n} "
            f"positive numbers; got {name}={value!r}."
        )
    return tuple(float(f) for f in items)


def scaled_size(size, factor):
    """``round(factor * size)``: a Python int for a static size, else a tensor."""
    if factor is None or factor == 1.0:
        return size
    if size is None:
        return None
    if isinstance(size, int):
        return round(factor * size)
    scaled = ops.round(ops.multiply(ops.cast(size, "float32"), factor))
    return ops.cast(scaled, "int32")


def merge_layer(value, axis, owner, dtype=None):
    """A keras merge layer from a name in MERGE_LAYERS, or a Layer as is."""
    if isinstance(value, keras.layers.Layer):
        return value
    if value not in MERGE_LAYERS:
        raise ValueError(
            f"{owner}: `merge_layer` must be one of {sorted(MERGE_LAYERS)} or a "
            f"keras merge Layer; got merge_layer={value!r}."
        )
    if value == "concatenate":
        return keras.layers.Concatenate(axis=axis, dtype=dtype)
    return MERGE_LAYERS[value](dtype=dtype)


def serialize_merge_layer(value):
    if isinstance(value, str):
        return value
    return keras.saving.serialize_keras_object(value)


def deserialize_merge_layer(value):
    if isinstance(value, str):
        return value
    return keras.saving.deserialize_keras_object(value)


def input_rank(input_shape, rank, owner):
    """Check that an input of a rank-N layer has N + 2 dims."""
    if len(input_shape) != rank + 2:
        raise ValueError(
            f"{owner} expects inputs with {rank + 2} dimensions (batch, "
            f"{rank} spatial, channels); got input shape {tuple(input_shape)}."
        )


def channel_axis(data_format_value):
    return -1 if data_format_value == "channels_last" else 1


def spatial_axes(rank, data_format_value):
    if data_format_value == "channels_last":
        return tuple(range(1, rank + 1))
    return tuple(range(2, rank + 2))


def known_channels(input_shape, data_format_value, owner):
    channels = input_shape[channel_axis(data_format_value)]
    if channels is None:
        raise ValueError(
            f"{owner} needs a known channel dimension; got input shape "
            f"{tuple(input_shape)} with data_format={data_format_value!r}."
        )
    return channels


def factorization_rank(value, owner):
    """A positive float or int, or a list/tuple of positive ints (Tucker)."""
    if isinstance(value, list | tuple):
        for r in value:
            checks.positive_int(r, "factorization_rank", owner)
        return tuple(int(r) for r in value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return checks.positive_int(value, "factorization_rank", owner)
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        checks.fail(
            owner,
            "factorization_rank",
            value,
            "a positive float (fraction of the dense parameters) or a positive int",
        )
    return float(value)
