"""Argument checks shared by every kx package.

Each check returns the (normalised) value or raises a ``ValueError`` in one format:
the class (``owner``), the argument, what it got and what it accepts::

    CfCCell: `units` must be a positive int; got units=0.

kx-layers, kx-ncps, kx-blocks and kx-vision validate their constructor and build
arguments with these functions, so every kx class reports bad input the same way.
The layer checks (``scaling_factors``, ``merge_layer``, ``input_rank``,
``known_channels``, ``factorization_rank``) and the data-format helpers
(``channel_axis``, ``spatial_axes``, ``scaled_size``) serve the N-d layers of
kx.layers and the blocks built on them.

The kx.ops functions check their tensors and FFT arguments here too
(``as_float_tensor``, ``as_pair``, ``check_norm``, ``normalize_axis``,
``normalize_axes``, ``check_s``, ``check_modes``, each given the function's name
as ``owner``): a function's errors name the function and its argument
(``"fftn: `axes` must not repeat an axis; got axes=(1, 1) ..."``), what it got
and what it accepts, before any backend op runs, so bad input never surfaces as
a backend trace.

Example:

>>> from kx.ops import checks
>>> checks.positive_int(3, "units", "MyLayer")
3
>>> checks.int_tuple(2, 3, "patch_size", "MyLayer")
(2, 2, 2)
>>> try:
...     checks.one_of("bn", "norm", ("LN", "BN"), "MyLayer")
... except ValueError as error:
...     print(error)
MyLayer: `norm` must be one of ['LN', 'BN']; got norm='bn'.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import keras
import numpy as np

from kx.ops._operation import dtype_name, is_symbolic
from kx.ops.types import Norm, Tensor

__all__ = [
    "FLOAT_DTYPES",
    "MAX_FFT_AXES",
    "MERGE_LAYERS",
    "NORMS",
    "a_layer",
    "activation",
    "as_float_tensor",
    "as_pair",
    "boolean",
    "channel_axis",
    "check_modes",
    "check_norm",
    "check_rank",
    "check_s",
    "data_format",
    "deserialize_merge_layer",
    "factorization_rank",
    "fail",
    "input_rank",
    "int_tuple",
    "known_channels",
    "merge_layer",
    "normalize_axes",
    "normalize_axis",
    "nonempty_axes",
    "number",
    "one_of",
    "optional",
    "positive_int",
    "rate",
    "scaled_size",
    "scaling_factors",
    "serialize_merge_layer",
    "shapes_compatible",
    "spatial_axes",
]

NORMS: tuple[Norm, ...] = ("backward", "ortho", "forward")
FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")
MAX_FFT_AXES = 3


def fail(owner: str, name: str, value: Any, accepted: str) -> NoReturn:
    """Raise the shared error: ``owner: `name` must be accepted; got name=value.``

    Example:

    >>> fail("MyLayer", "units", 0, "a positive int")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `units` must be a positive int; got units=0.
    """
    raise ValueError(f"{owner}: `{name}` must be {accepted}; got {name}={value!r}.")


def _is_int(value: Any) -> bool:
    # Python and numpy integers, not bools
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def positive_int(value: Any, name: str, owner: str, allow_zero: bool = False) -> int:
    """``value`` as an int >= 1 (>= 0 with ``allow_zero``).

    Example:

    >>> positive_int(3, "units", "MyLayer")
    3
    >>> positive_int(0, "units", "MyLayer", allow_zero=True)
    0
    >>> positive_int(0, "units", "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `units` must be a positive int; got units=0.
    """
    low = 0 if allow_zero else 1
    if not _is_int(value) or value < low:
        fail(
            owner, name, value, "a non-negative int" if allow_zero else "a positive int"
        )
    return int(value)


def int_tuple(
    value: Any, n: int, name: str, owner: str, allow_zero: bool = False
) -> tuple[int, ...]:
    """An int or ``n`` ints (each positive, or >= 0) as a tuple of ``n`` ints.

    Example:

    >>> int_tuple(2, 3, "size", "MyLayer")
    (2, 2, 2)
    >>> int_tuple([1, 2, 3], 3, "size", "MyLayer")
    (1, 2, 3)
    >>> int_tuple((2, 3), 3, "size", "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `size` must be an int or a tuple of 3 ints; got size=(2, 3).
    """
    if _is_int(value):
        value = (value,) * n
    if not isinstance(value, list | tuple) or len(value) != n:
        fail(owner, name, value, f"an int or a tuple of {n} ints")
    for v in value:
        positive_int(v, name, owner, allow_zero=allow_zero)
    return tuple(int(v) for v in value)


def number(
    value: Any,
    name: str,
    owner: str,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A real number in the interval from ``low`` to ``high`` (ends open or closed).

    Example:

    >>> number(0.5, "alpha", "MyLayer", low=0, high=1)
    0.5
    >>> number(1, "alpha", "MyLayer", low=0, high=1, high_open=True)
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `alpha` must be a number in [0, 1); got alpha=1.
    """
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok:
        v = float(value)
        ok = not math.isnan(v)
        ok = ok and (v > low if low_open else v >= low)
        ok = ok and (v < high if high_open else v <= high)
    if not ok:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        fail(owner, name, value, f"a number in {left}{low:g}, {high:g}{right}")
    return float(value)


def rate(value: Any, name: str, owner: str) -> float:
    """A dropout-like rate in ``[0, 1)``.

    Example:

    >>> rate(0.1, "dropout", "MyLayer")
    0.1
    >>> rate(1.0, "dropout", "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `dropout` must be a number in [0, 1); got dropout=1.0.
    """
    return number(value, name, owner, 0.0, 1.0, high_open=True)


def boolean(value: Any, name: str, owner: str) -> bool:
    """A Python or numpy bool (not an int that happens to be 0 or 1).

    Example:

    >>> boolean(True, "use_bias", "MyLayer")
    True
    >>> boolean(1, "use_bias", "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `use_bias` must be True or False; got use_bias=1.
    """
    if not isinstance(value, bool | np.bool_):
        fail(owner, name, value, "True or False")
    return bool(value)


def one_of(value: Any, name: str, choices: Iterable[Any], owner: str) -> Any:
    """``value`` if it is one of ``choices``.

    Example:

    >>> one_of("LN", "norm", ("LN", "BN"), "MyLayer")
    'LN'
    >>> one_of("bn", "norm", ("LN", "BN"), "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `norm` must be one of ['LN', 'BN']; got norm='bn'.
    """
    choices = list(choices)
    if value not in choices:
        fail(owner, name, value, f"one of {choices}")
    return value


def optional(check: Callable[..., Any], value: Any, *args: Any, **kwargs: Any) -> Any:
    """None as is; anything else through ``check(value, *args, **kwargs)``.

    Example:

    >>> optional(positive_int, None, "units", "MyLayer") is None
    True
    >>> optional(positive_int, 3, "units", "MyLayer")
    3
    >>> optional(positive_int, 0, "units", "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `units` must be a positive int; got units=0.
    """
    return None if value is None else check(value, *args, **kwargs)


def check_rank(rank: Any, owner: str, ranks: Iterable[int] = (1, 2, 3)) -> int:
    """The spatial rank of an N-d layer: one of ``ranks``.

    Example:

    >>> check_rank(2, "SpectralConv")
    2
    >>> check_rank(4, "SpectralConv")
    Traceback (most recent call last):
        ...
    ValueError: SpectralConv: `rank` must be 1, 2 or 3; got rank=4.
    """
    ranks = tuple(ranks)
    if not _is_int(rank) or rank not in ranks:
        names = [str(r) for r in ranks]
        accepted = names[0] if len(names) == 1 else ", ".join(names[:-1])
        fail(
            owner,
            "rank",
            rank,
            accepted + ("" if len(names) == 1 else f" or {names[-1]}"),
        )
    return int(rank)


def data_format(value: Any, owner: str) -> str:
    """``"channels_last"`` or ``"channels_first"``; None reads Keras's setting.

    Example:

    >>> data_format("channels_first", "MyLayer")
    'channels_first'
    >>> data_format(None, "MyLayer") == keras.config.image_data_format()
    True
    >>> data_format("NHWC", "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `data_format` must be 'channels_last', ...; got ...='NHWC'.
    """
    if value is None:
        return keras.config.image_data_format()
    if value not in ("channels_last", "channels_first"):
        fail(owner, "data_format", value, "'channels_last', 'channels_first' or None")
    return value


def a_layer(value: Any, name: str, owner: str, allow_none: bool = False) -> Any:
    """A ``keras.layers.Layer`` (or None with ``allow_none``).

    Example:

    >>> a_layer(keras.layers.Dense(2), "layer", "MyWrapper").units
    2
    >>> a_layer(None, "layer", "MyWrapper", allow_none=True) is None
    True
    >>> a_layer("dense", "layer", "MyWrapper")
    Traceback (most recent call last):
        ...
    ValueError: MyWrapper: `layer` must be a keras Layer; got layer='dense' of type str.
    """
    if value is None and allow_none:
        return None
    if not isinstance(value, keras.layers.Layer):
        accepted = "a keras Layer or None" if allow_none else "a keras Layer"
        raise ValueError(
            f"{owner}: `{name}` must be {accepted}; got {name}={value!r} "
            f"of type {type(value).__name__}."
        )
    return value


def activation(value: Any, name: str, owner: str) -> Any:
    """An activation as ``keras.activations.get`` gives it (a name Keras knows, a
    callable, its config or None), its error in the shared format.

    Example:

    >>> activation("relu", "activation", "MyLayer").__name__
    'relu'
    >>> activation("rleu", "activation", "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `activation` must be an activation (a name Keras knows, ...
    """
    try:
        return keras.activations.get(value)
    except (ValueError, TypeError):
        fail(
            owner,
            name,
            value,
            "an activation (a name Keras knows, a callable or None)",
        )


# Checks of the N-d layers (kx.layers and the blocks built on them)

MERGE_LAYERS = {
    "add": keras.layers.Add,
    "subtract": keras.layers.Subtract,
    "multiply": keras.layers.Multiply,
    "average": keras.layers.Average,
    "maximum": keras.layers.Maximum,
    "minimum": keras.layers.Minimum,
    "concatenate": keras.layers.Concatenate,
}


def scaling_factors(value: Any, n: int, name: str, owner: str) -> Any:
    """``None``, a positive number or ``n`` of them, as ``None`` or ``n`` floats.

    Example:

    >>> scaling_factors(2, 3, "size", "MyLayer")
    (2.0, 2.0, 2.0)
    >>> scaling_factors((2, 0.5), 2, "size", "MyLayer")
    (2.0, 0.5)
    >>> scaling_factors(None, 2, "size", "MyLayer") is None
    True
    >>> scaling_factors((2, 0), 2, "size", "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `size` must be None, a positive number or ...; got size=(2, 0).
    """
    if value is None:
        return None
    items = value if isinstance(value, list | tuple) else (value,) * n
    ok = len(items) == n and all(
        isinstance(f, int | float) and not isinstance(f, bool) and 0 < f < math.inf
        for f in items
    )
    if not ok:
        fail(
            owner,
            name,
            value,
            f"None, a positive number or a tuple of {n} positive numbers",
        )
    return tuple(float(f) for f in items)


def scaled_size(size: Any, factor: Any) -> Any:
    """``round(factor * size)``: a Python int for a static size, else a tensor
    (None stays None).

    Example:

    >>> scaled_size(6, 1.5)
    9
    >>> scaled_size(None, 2.0) is None
    True
    >>> int(scaled_size(keras.ops.convert_to_tensor(6), 1.5))  # a dynamic size
    9
    """
    if factor is None or factor == 1.0:
        return size
    if size is None:
        return None
    if isinstance(size, int):
        return round(factor * size)
    ops = keras.ops
    scaled = ops.round(ops.multiply(ops.cast(size, "float32"), factor))
    return ops.cast(scaled, "int32")


def merge_layer(value: Any, axis: int, owner: str, dtype: Any = None) -> Any:
    """A keras merge layer from a name in ``MERGE_LAYERS`` (``"concatenate"`` along
    ``axis``), or a Layer as is.

    Example:

    >>> type(merge_layer("add", -1, "MyLayer")).__name__
    'Add'
    >>> merge_layer("concatenate", 1, "MyLayer").axis
    1
    >>> merge_layer("sum", -1, "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `merge_layer` must be one of ['add', ...; got ...='sum'.
    """
    if isinstance(value, keras.layers.Layer):
        return value
    if value not in MERGE_LAYERS:
        fail(
            owner,
            "merge_layer",
            value,
            f"one of {sorted(MERGE_LAYERS)} or a keras merge Layer",
        )
    if value == "concatenate":
        return keras.layers.Concatenate(axis=axis, dtype=dtype)
    return MERGE_LAYERS[value](dtype=dtype)


def serialize_merge_layer(value: Any) -> Any:
    """A ``merge_layer`` argument for ``get_config``: a name as is, a Layer
    serialized.

    Example:

    >>> serialize_merge_layer("add")
    'add'
    >>> serialize_merge_layer(keras.layers.Concatenate(axis=1))["class_name"]
    'Concatenate'
    """
    if isinstance(value, str):
        return value
    return keras.saving.serialize_keras_object(value)


def deserialize_merge_layer(value: Any) -> Any:
    """The inverse of :func:`serialize_merge_layer`.

    Example:

    >>> deserialize_merge_layer("add")
    'add'
    >>> config = serialize_merge_layer(keras.layers.Concatenate(axis=1))
    >>> deserialize_merge_layer(config).axis
    1
    """
    if isinstance(value, str):
        return value
    return keras.saving.deserialize_keras_object(value)


def input_rank(input_shape: Any, rank: int, owner: str) -> None:
    """Check that an input of a rank-N layer has N + 2 dims.

    Example:

    >>> input_rank((2, 8, 8, 3), 2, "MyLayer2D")  # 2 spatial dims: no error
    >>> input_rank((2, 8, 3), 2, "MyLayer2D")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer2D: `input_shape` must be a shape of 4 dimensions ...=(2, 8, 3).
    """
    if len(input_shape) != rank + 2:
        fail(
            owner,
            "input_shape",
            tuple(input_shape),
            f"a shape of {rank + 2} dimensions (batch, {rank} spatial, channels)",
        )


def channel_axis(data_format_value: str) -> int:
    """The channel axis of a ``data_format``: -1 or 1.

    Example:

    >>> channel_axis("channels_last"), channel_axis("channels_first")
    (-1, 1)
    """
    return -1 if data_format_value == "channels_last" else 1


def spatial_axes(rank: int, data_format_value: str) -> tuple[int, ...]:
    """The ``rank`` spatial axes of a ``data_format``'s (batch, ...) tensors.

    Example:

    >>> spatial_axes(2, "channels_last")
    (1, 2)
    >>> spatial_axes(2, "channels_first")
    (2, 3)
    """
    if data_format_value == "channels_last":
        return tuple(range(1, rank + 1))
    return tuple(range(2, rank + 2))


def known_channels(input_shape: Any, data_format_value: str, owner: str) -> int:
    """The channel count of ``input_shape``, which must be known.

    Example:

    >>> known_channels((None, 8, 8, 3), "channels_last", "MyLayer")
    3
    >>> known_channels((None, 3, 8, 8), "channels_first", "MyLayer")
    3
    >>> known_channels((None, 8, 8, None), "channels_last", "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `input_shape` must be a shape with a known channel ...
    """
    channels = input_shape[channel_axis(data_format_value)]
    if channels is None:
        fail(
            owner,
            "input_shape",
            tuple(input_shape),
            "a shape with a known channel dimension "
            f"(data_format={data_format_value!r})",
        )
    return channels


def nonempty_axes(
    shape: Any, axes: Iterable[int], owner: str, name: str = "inputs"
) -> None:
    """Check that no static length along ``axes`` of ``shape`` is zero.

    A zero-length sequence or spatial axis has nothing to convolve, pool, attend
    over or recur through; without this check it reaches a backend kernel (an
    error naming neither the layer nor the argument) or pools into NaN. Dynamic
    (``None`` or tensor) lengths pass: they are checked where they become known.

    Example:

    >>> nonempty_axes((2, 16, 3), (1,), "MyLayer")  # no error
    >>> nonempty_axes((2, 0, 3), (1,), "MyLayer")
    Traceback (most recent call last):
        ...
    ValueError: MyLayer: `inputs` must be a tensor with no zero-length axis among ...
    """
    shape, axes = tuple(shape), tuple(axes)
    for axis in axes:
        if _is_int(shape[axis]) and shape[axis] == 0:
            raise ValueError(
                f"{owner}: `{name}` must be a tensor with no zero-length axis among "
                f"axes {axes}; got {name}=a tensor of shape {shape}."
            )


def factorization_rank(value: Any, owner: str) -> Any:
    """A positive float or int, or a list/tuple of positive ints (Tucker).

    Example:

    >>> factorization_rank(0.5, "SpectralConv")
    0.5
    >>> factorization_rank(4, "SpectralConv")
    4
    >>> factorization_rank([2, 3], "SpectralConv")
    (2, 3)
    >>> factorization_rank(-1.0, "SpectralConv")
    Traceback (most recent call last):
        ...
    ValueError: SpectralConv: `factorization_rank` must be a positive float ...
    """
    if isinstance(value, list | tuple):
        for r in value:
            positive_int(r, "factorization_rank", owner)
        return tuple(int(r) for r in value)
    if _is_int(value):
        return positive_int(value, "factorization_rank", owner)
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        fail(
            owner,
            "factorization_rank",
            value,
            "a positive float (fraction of the dense parameters) or a positive int",
        )
    return float(value)


# Checks of the kx.ops functions' tensors and FFT arguments


def as_float_tensor(x: Any, name: str, owner: str) -> Tensor:
    """``x`` as a backend tensor (KerasTensors pass through), checked to be floating.

    Example:

    >>> x = as_float_tensor(np.ones((2, 3), "float32"), "x", "rfftn")
    >>> tuple(x.shape), keras.backend.standardize_dtype(x.dtype)
    ((2, 3), 'float32')
    >>> as_float_tensor(np.array([1, 2, 3], "int32"), "x", "rfftn")
    Traceback (most recent call last):
        ...
    ValueError: rfftn: `x` must have a floating dtype (...); got dtype int32. ...
    """
    if not is_symbolic(x):
        if isinstance(x, list | tuple):
            raise ValueError(
                f"{owner}: `{name}` must be a tensor or array; got a "
                f"{type(x).__name__} (a (real, imag) pair goes to the complex "
                "functions, e.g. fftn)."
            )
        if not keras.ops.is_tensor(x):
            x = keras.ops.convert_to_tensor(x)
    dtype = dtype_name(x.dtype)
    if dtype not in FLOAT_DTYPES:
        raise ValueError(
            f"{owner}: `{name}` must have a floating dtype (one of "
            f"{', '.join(FLOAT_DTYPES)}); got dtype {dtype}. Cast integer or complex "
            "data to float first."
        )
    return x


def as_pair(z: Any, name: str, owner: str) -> tuple[Tensor, Tensor]:
    """Check that ``z`` is an ``(real, imag)`` pair of float tensors of one shape.

    Example:

    >>> re, im = as_pair((np.ones(3, "float32"), np.zeros(3, "float32")), "z", "fftn")
    >>> tuple(re.shape), tuple(im.shape)
    ((3,), (3,))
    >>> as_pair(np.ones(3, "float32"), "z", "fftn")
    Traceback (most recent call last):
        ...
    ValueError: fftn: `z` must be a (real, imag) pair of tensors; got a ndarray.
    """
    if not isinstance(z, tuple | list) or len(z) != 2:
        got = (
            f"{type(z).__name__} of length {len(z)}"
            if isinstance(z, tuple | list)
            else (type(z).__name__)
        )
        raise ValueError(
            f"{owner}: `{name}` must be a (real, imag) pair of tensors; got a {got}."
        )
    re = as_float_tensor(z[0], f"{name}[0] (real part)", owner)
    im = as_float_tensor(z[1], f"{name}[1] (imaginary part)", owner)
    if not shapes_compatible(re.shape, im.shape):
        raise ValueError(
            f"{owner}: `{name}` must have real and imaginary parts of the same "
            f"shape; got real part shape {tuple(re.shape)} and imaginary part shape "
            f"{tuple(im.shape)}."
        )
    re_dtype = dtype_name(re.dtype)
    im_dtype = dtype_name(im.dtype)
    if re_dtype != im_dtype:
        raise ValueError(
            f"{owner}: `{name}` must have real and imaginary parts of the same "
            f"dtype; got {re_dtype} and {im_dtype}."
        )
    return re, im


def shapes_compatible(a: Sequence[int | None], b: Sequence[int | None]) -> bool:
    """Whether two shapes agree wherever both sizes are known (None: unknown).

    Example:

    >>> shapes_compatible((None, 4), (2, 4))
    True
    >>> shapes_compatible((3, 4), (2, 4))
    False
    """
    return len(a) == len(b) and all(
        x is None or y is None or x == y for x, y in zip(a, b)
    )


def check_norm(norm: Any, owner: str) -> Norm:
    """An FFT ``norm``: one of ``NORMS``; None is ``"backward"``.

    Example:

    >>> check_norm(None, "fftn")
    'backward'
    >>> check_norm("ortho", "fftn")
    'ortho'
    >>> check_norm("bad", "fftn")
    Traceback (most recent call last):
        ...
    ValueError: fftn: `norm` must be one of ('backward', 'ortho', ...; got norm='bad'.
    """
    if norm is None:
        return "backward"
    for name in NORMS:
        if isinstance(norm, str) and norm == name:
            return name
    fail(owner, "norm", norm, f"one of {NORMS} or None")


def normalize_axis(axis: Any, ndim: int, name: str, owner: str) -> int:
    """``axis`` of a rank-``ndim`` tensor as a non-negative int.

    Example:

    >>> normalize_axis(-1, 3, "axis", "rfft")
    2
    >>> normalize_axis(3, 3, "axis", "rfft")
    Traceback (most recent call last):
        ...
    ValueError: rfft: `axis` must hold axes from -3 to 2 ...; got axis 3, out of range.
    """
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise ValueError(f"{owner}: `{name}` must hold integers; got axis {axis!r}.")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"{owner}: `{name}` must hold axes from {-ndim} to {ndim - 1} for a "
            f"tensor of rank {ndim}; got axis {axis}, out of range."
        )
    return int(axis) % ndim


def normalize_axes(
    axes: Any, ndim: int, owner: str, s: Any = None, default: int | None = None
) -> tuple[tuple[int, ...], tuple[Any, ...] | None]:
    """Resolve ``axes`` (and ``s``) as numpy.fft does; return positive axes and ``s``.

    ``default`` is the number of trailing axes used when both are None (None: all).

    Example:

    >>> normalize_axes(None, 4, "rfftn", default=2)
    ((2, 3), None)
    >>> normalize_axes((-1, 1), 3, "rfftn", s=(5, 4))
    ((2, 1), (5, 4))
    >>> normalize_axes((1, -2), 3, "rfftn")
    Traceback (most recent call last):
        ...
    ValueError: rfftn: `axes` must not repeat an axis; got axes=(1, -2) (axis 1 twice...
    """
    if s is not None:
        s = check_s(s, owner)
    if axes is None:
        if s is not None:
            count = len(s)
        elif default is None:
            count = ndim
        else:
            count = default
        if count > ndim:
            raise ValueError(
                f"{owner}: `axes` must be given for an input of rank {ndim} (its "
                f"default, the last {count} axes, does not exist there); got "
                "axes=None."
            )
        axes = tuple(range(ndim - count, ndim))
    else:
        if isinstance(axes, int | np.integer):
            axes = (axes,)
        if not isinstance(axes, tuple | list):
            fail(owner, "axes", axes, "None, an int or a sequence of ints")
        original = tuple(axes)
        axes = tuple(normalize_axis(a, ndim, "axes", owner) for a in axes)
        if len(set(axes)) != len(axes):
            twice = next(a for a in axes if axes.count(a) > 1)
            raise ValueError(
                f"{owner}: `axes` must not repeat an axis; got axes={original} "
                f"(axis {twice} twice, for a tensor of rank {ndim})."
            )
    if not 1 <= len(axes) <= MAX_FFT_AXES:
        fail(
            owner,
            "axes",
            tuple(axes),
            f"1 to {MAX_FFT_AXES} axes (for a tensor of rank {ndim})",
        )
    if s is not None and len(s) != len(axes):
        fail(
            owner,
            "s",
            tuple(s),
            f"one length per transformed axis ({len(axes)} for axes {tuple(axes)})",
        )
    return axes, s


def check_s(s: Any, owner: str) -> tuple[Any, ...]:
    """FFT lengths ``s`` as a tuple: positive ints, or None/tensors (dynamic).

    Example:

    >>> check_s(8, "rfftn")
    (8,)
    >>> check_s((4, None), "rfftn")
    (4, None)
    >>> check_s((4, 0), "rfftn")
    Traceback (most recent call last):
        ...
    ValueError: rfftn: `s` must be positive integers; got s=(4, 0).
    """
    if isinstance(s, int | np.integer):
        s = (s,)
    if not isinstance(s, tuple | list):
        fail(owner, "s", s, "None or a sequence of ints")
    out = []
    for n in s:
        if n is None or keras.ops.is_tensor(n):
            out.append(n)  # a dynamic length: trusted, checked by the backend
            continue
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            fail(owner, "s", tuple(s), "positive integers")
        out.append(int(n))
    return tuple(out)


def check_modes(modes: Any, count: int, owner: str) -> tuple[int, ...]:
    """``modes`` as a tuple of ``count`` positive ints.

    Example:

    >>> check_modes(3, 2, "truncated_rfftn")
    (3, 3)
    >>> check_modes((2, 0), 2, "truncated_rfftn")
    Traceback (most recent call last):
        ...
    ValueError: truncated_rfftn: `modes` must be a positive int or 2 ...=(2, 0).
    """
    if isinstance(modes, int | np.integer) and not isinstance(modes, bool):
        modes = (int(modes),) * count
    if (
        not isinstance(modes, tuple | list)
        or len(modes) != count
        or any(
            isinstance(m, bool) or not isinstance(m, int | np.integer) or m < 1
            for m in modes
        )
    ):
        fail(
            owner,
            "modes",
            modes,
            f"a positive int or {count} positive ints (one per axis in `axes`)",
        )
    return tuple(int(m) for m in modes)
