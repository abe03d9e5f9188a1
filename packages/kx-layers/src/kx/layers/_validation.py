"""Argument checks shared by the kx.layers classes.

Every check raises a ``ValueError`` that names the argument, the value it got and
what it accepts.
"""

from __future__ import annotations

import math

import keras
from keras import ops

MERGE_LAYERS = {
    "add": keras.layers.Add,
    "subtract": keras.layers.Subtract,
    "multiply": keras.layers.Multiply,
    "average": keras.layers.Average,
    "maximum": keras.layers.Maximum,
    "minimum": keras.layers.Minimum,
    "concatenate": keras.layers.Concatenate,
}


def check_rank(rank, owner):
    if isinstance(rank, bool) or rank not in (1, 2, 3):
        raise ValueError(f"{owner}: `rank` must be 1, 2 or 3; got rank={rank!r}.")
    return rank


def positive_int(value, name, owner, allow_zero=False):
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        what = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"{owner}: `{name}` must be {what} int; got {name}={value!r}.")
    return value


def int_tuple(value, n, name, owner, allow_zero=False):
    """An int or ``n`` ints (each positive, or >= 0) as a tuple of ``n`` ints."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * n
    if not isinstance(value, list | tuple) or len(value) != n:
        raise ValueError(
            f"{owner}: `{name}` must be an int or a tuple of {n} ints; "
            f"got {name}={value!r}."
        )
    for v in value:
        positive_int(v, name, owner, allow_zero=allow_zero)
    return tuple(int(v) for v in value)


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


def data_format(value, owner):
    if value is None:
        return keras.config.image_data_format()
    if value not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{owner}: `data_format` must be 'channels_last', 'channels_first' or "
            f"None; got data_format={value!r}."
        )
    return value


def one_of(value, name, choices, owner):
    if value not in choices:
        raise ValueError(
            f"{owner}: `{name}` must be one of {list(choices)}; got {name}={value!r}."
        )
    return value


def a_layer(value, name, owner, allow_none=False):
    if value is None and allow_none:
        return None
    if not isinstance(value, keras.layers.Layer):
        accepted = "a keras Layer or None" if allow_none else "a keras Layer"
        raise ValueError(
            f"{owner}: `{name}` must be {accepted}; got {name}={value!r} "
            f"of type {type(value).__name__}."
        )
    return value


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
