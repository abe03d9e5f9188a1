"""Argument checks shared by the kx.ops functions.

Every check raises :class:`ValueError` naming the argument, what it got and what it
accepts, before any backend op runs, so bad input never surfaces as a backend trace.
"""

from __future__ import annotations

import keras
import numpy as np

NORMS = ("backward", "ortho", "forward")
FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")
MAX_FFT_AXES = 3


_DTYPE_NAMES = {}


def dtype_name(dtype):
    """``keras.backend.standardize_dtype``, memoized (it is on every call's path)."""
    try:
        return _DTYPE_NAMES[dtype]
    except KeyError:
        name = _DTYPE_NAMES[dtype] = keras.backend.standardize_dtype(dtype)
        return name
    except TypeError:  # an unhashable dtype object
        return keras.backend.standardize_dtype(dtype)


def is_symbolic(*tensors):
    """True when any of ``tensors`` is a :class:`keras.KerasTensor`."""
    return any(isinstance(t, keras.KerasTensor) for t in tensors)


def as_float_tensor(x, name):
    """``x`` as a backend tensor (KerasTensors pass through), checked to be floating."""
    if not is_symbolic(x):
        if isinstance(x, list | tuple):
            raise ValueError(
                f"`{name}` must be a tensor or array; got a {type(x).__name__} (a "
                "(real, imag) pair goes to the complex functions, e.g. fftn)."
            )
        if not keras.ops.is_tensor(x):
            x = keras.ops.convert_to_tensor(x)
    dtype = dtype_name(x.dtype)
    if dtype not in FLOAT_DTYPES:
        raise ValueError(
            f"`{name}` must have a floating dtype (one of {', '.join(FLOAT_DTYPES)}); "
            f"got dtype {dtype}. Cast integer or complex data to float first."
        )
    return x


def as_pair(z, name):
    """Check that ``z`` is an ``(real, imag)`` pair of float tensors of one shape."""
    if not isinstance(z, tuple | list) or len(z) != 2:
        got = (
            f"{type(z).__name__} of length {len(z)}"
            if isinstance(z, tuple | list)
            else (type(z).__name__)
        )
        raise ValueError(
            f"`{name}` must be a (real, imag) pair of tensors; got a {got}."
        )
    re = as_float_tensor(z[0], f"{name}[0] (real part)")
    im = as_float_tensor(z[1], f"{name}[1] (imaginary part)")
    if not shapes_compatible(re.shape, im.shape):
        raise ValueError(
            f"`{name}` must have real and imaginary parts of the same shape; got "
            f"real part shape {tuple(re.shape)} and imaginary part shape "
            f"{tuple(im.shape)}."
        )
    re_dtype = dtype_name(re.dtype)
    im_dtype = dtype_name(im.dtype)
    if re_dtype != im_dtype:
        raise ValueError(
            f"`{name}` must have real and imaginary parts of the same dtype; got "
            f"{re_dtype} and {im_dtype}."
        )
    return re, im


def shapes_compatible(a, b):
    return len(a) == len(b) and all(
        x is None or y is None or x == y for x, y in zip(a, b)
    )


def check_norm(norm):
    if norm is None:
        return "backward"
    if not isinstance(norm, str) or norm not in NORMS:
        raise ValueError(f"`norm` must be one of {NORMS} or None; got {norm!r}.")
    return norm


def normalize_axis(axis, ndim, name="axes"):
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise ValueError(f"`{name}` must hold integers; got {axis!r}.")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"`{name}` holds axis {axis}, out of range for a tensor of rank {ndim}; "
            f"accepted axes are {-ndim} to {ndim - 1}."
        )
    return int(axis) % ndim


def normalize_axes(axes, ndim, s=None, default=None):
    """Resolve ``axes`` (and ``s``) as numpy.fft does; return positive axes and ``s``.

    ``default`` is the number of trailing axes used when both are None (None: all).
    """
    if s is not None:
        s = check_s(s)
    if axes is None:
        if s is not None:
            count = len(s)
        elif default is None:
            count = ndim
        else:
            count = default
        if count > ndim:
            raise ValueError(
                f"`axes` defaults to the last {count} axes, but the input has rank "
                f"{ndim}; pass a tensor of rank >= {count} or explicit `axes`."
            )
        axes = tuple(range(ndim - count, ndim))
    else:
        if isinstance(axes, int | np.integer):
            axes = (axes,)
        if not isinstance(axes, tuple | list):
            raise ValueError(
                f"`axes` must be None, an int or a sequence of ints; got {axes!r}."
            )
        original = tuple(axes)
        axes = tuple(normalize_axis(a, ndim) for a in axes)
        if len(set(axes)) != len(axes):
            raise ValueError(
                f"`axes` must not repeat an axis; got {original}, which names axis "
                f"{next(a for a in axes if axes.count(a) > 1)} twice for a tensor "
                f"of rank {ndim}."
            )
    if not 1 <= len(axes) <= MAX_FFT_AXES:
        raise ValueError(
            f"`axes` must name 1 to {MAX_FFT_AXES} axes; got {len(axes)} axes "
            f"{tuple(axes)} (for a tensor of rank {ndim})."
        )
    if s is not None and len(s) != len(axes):
        raise ValueError(
            f"`s` must have one length per transformed axis ({len(axes)} for axes "
            f"{tuple(axes)}); got s={tuple(s)} of length {len(s)}."
        )
    return axes, s


def check_s(s):
    if isinstance(s, int | np.integer):
        s = (s,)
    if not isinstance(s, tuple | list):
        raise ValueError(f"`s` must be None or a sequence of ints; got {s!r}.")
    out = []
    for n in s:
        if n is None or keras.ops.is_tensor(n):
            out.append(n)  # a dynamic length: trusted, checked by the backend
            continue
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"`s` must hold positive integers; got s={tuple(s)}.")
        out.append(int(n))
    return tuple(out)


def check_modes(modes, count):
    """``modes`` as a tuple of ``count`` positive ints."""
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
        raise ValueError(
            f"`modes` must be a positive int or {count} positive ints (one per axis "
            f"in `axes`); got {modes!r}."
        )
    return tuple(int(m) for m in modes)
