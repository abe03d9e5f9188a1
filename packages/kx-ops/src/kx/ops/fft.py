"""N-dimensional FFTs on ``(real, imag)`` pairs, with numpy.fft's names and semantics.

``s`` crops or zero-pads the input along ``axes`` before the transform, as numpy does
(for :func:`irfftn`, the last axis of the input is cropped or padded to
``s[-1] // 2 + 1`` bins). ``norm`` is ``"backward"`` (default: the inverse scales by
``1/n``), ``"ortho"`` (both by ``1/sqrt(n)``) or ``"forward"`` (the forward by
``1/n``). One to three axes, negative allowed, any lengths.
"""

from __future__ import annotations

import keras

from kx.ops import _backend
from kx.ops._operation import dispatch, to_compute, to_dtype
from kx.ops.checks import (
    as_float_tensor,
    as_pair,
    check_norm,
    normalize_axes,
    normalize_axis,
    positive_int,
)
from kx.ops.types import Axes, DType, Lengths, Norm, Pair, Tensor

__all__ = [
    "rfftn",
    "irfftn",
    "fftn",
    "ifftn",
    "rfft",
    "irfft",
    "fft",
    "ifft",
    "rfft2",
    "irfft2",
    "fft2",
    "ifft2",
    "fft_dtype",
]


def fft_dtype(compute_dtype: DType) -> str:
    """The float dtype a layer's FFT runs in: float64 stays, anything else is float32.

    A layer casts its input to this dtype before the FFT and its output back to
    its compute dtype, so mixed precision (float16, bfloat16) keeps float32 FFTs.

    Args:
        compute_dtype: a dtype name, e.g. a layer's ``compute_dtype``.

    Returns:
        ``"float64"`` for ``"float64"``, ``"float32"`` for anything else.

    Example:

    >>> fft_dtype("float64")
    'float64'
    >>> fft_dtype("float16")
    'float32'
    """
    return "float64" if compute_dtype == "float64" else "float32"


def _is_int(n):
    return isinstance(n, int)


def fit_lengths(x, axes, lengths):
    """Crop or zero-pad ``x`` at the end of each of ``axes`` to ``lengths``.

    A length that is not a Python int (a dynamic length) is trusted as it is.
    """
    for axis, n in zip(axes, lengths):
        if not _is_int(n):
            continue
        have = x.shape[axis]
        index = (slice(None),) * axis
        if have is None or have > n:
            x = x[index + (slice(0, n),)]
        if have is None:  # dynamic (tf graphs): pad by max(n - length, 0) zeros
            shape = list(keras.ops.shape(x))
            shape[axis] = keras.ops.maximum(n - shape[axis], 0)
            x = keras.ops.concatenate([x, keras.ops.zeros(shape, x.dtype)], axis)
        elif have < n:
            widths = [[0, 0]] * len(x.shape)
            widths[axis] = [0, n - have]
            x = keras.ops.pad(x, widths)
    return x


def spec_shape(shape, axes, lengths):
    """``shape`` with ``lengths`` along ``axes`` (None for a dynamic length)."""
    shape = list(shape)
    for axis, n in zip(axes, lengths):
        shape[axis] = n if _is_int(n) else None
    return shape


def pair_spec(shape, dtype):
    return (keras.KerasTensor(shape, dtype), keras.KerasTensor(shape, dtype))


# rfftn ---------------------------------------------------------------------------


def _rfftn(x, s, axes, norm):
    (x,), dtype = to_compute(x)
    if s is not None:
        x = fit_lengths(x, axes, s)
    return to_dtype(_backend.rfftn(x, axes, norm), dtype)


def _rfftn_spec(x, s, axes, norm):
    lengths = s if s is not None else [x.shape[a] for a in axes]
    shape = spec_shape(x.shape, axes, lengths)
    last = shape[axes[-1]]
    shape[axes[-1]] = None if last is None else last // 2 + 1
    return pair_spec(shape, x.dtype)


def rfftn(
    x: Tensor,
    s: Lengths | None = None,
    axes: Axes | None = None,
    norm: Norm | None = "backward",
) -> Pair:
    """N-d FFT of a real tensor, as ``numpy.fft.rfftn``; returns ``(re, im)``.

    The last of ``axes`` is the half-spectrum axis: its output length is
    ``n // 2 + 1``.

    Args:
        x: real floating tensor.
        s: output lengths along ``axes`` before the transform (crop or zero-pad);
            None keeps the input lengths.
        axes: 1 to 3 axes to transform; None means all axes (or the last
            ``len(s)``).
        norm: ``"backward"``, ``"ortho"`` or ``"forward"``.

    Returns:
        The ``(re, im)`` pair of the spectrum, in the dtype of ``x``.

    Example:

    >>> re, im = rfftn(keras.ops.ones((2, 8, 8, 3)), axes=(1, 2))
    >>> tuple(re.shape)
    (2, 8, 5, 3)
    """
    return _checked_rfftn(x, s, axes, norm, "rfftn")


def _checked_rfftn(x, s, axes, norm, owner):
    x = as_float_tensor(x, "x", owner)
    axes, s = normalize_axes(axes, len(x.shape), owner, s)
    norm = check_norm(norm, owner)
    return dispatch(_rfftn, _rfftn_spec, (x,), s=s, axes=axes, norm=norm)


# irfftn --------------------------------------------------------------------------


def _irfftn_lengths(shape, s, axes):
    """Output lengths along ``axes``: ``s``, or the input's, ``2 * (m - 1)`` last."""
    if s is not None:
        return list(s)
    lengths = [shape[a] for a in axes]
    if lengths[-1] is not None:
        lengths[-1] = 2 * (lengths[-1] - 1)
    return lengths


def _irfftn(re, im, s, axes, norm):
    (re, im), dtype = to_compute(re, im)
    lengths = _irfftn_lengths(re.shape, s, axes)
    n_last = lengths[-1]
    if n_last is None:  # dynamic (tf graphs): 2 * (bins - 1)
        n_last = 2 * (keras.ops.shape(re)[axes[-1]] - 1)
    re = fit_lengths(re, axes[:-1], lengths[:-1])
    im = fit_lengths(im, axes[:-1], lengths[:-1])
    if _is_int(n_last) and (re.shape[axes[-1]] or n_last) > n_last // 2:
        # crop extra bins here; missing ones are zero-padded inside the backend
        # FFT, on the (smaller) complex input: cheaper than padding both parts
        re = fit_lengths(re, axes[-1:], [n_last // 2 + 1])
        im = fit_lengths(im, axes[-1:], [n_last // 2 + 1])
    return to_dtype((_backend.irfftn(re, im, axes, n_last, norm),), dtype)[0]


def _irfftn_spec(re, im, s, axes, norm):
    shape = spec_shape(re.shape, axes, _irfftn_lengths(re.shape, s, axes))
    return keras.KerasTensor(shape, re.dtype)


def irfftn(
    z: Pair,
    s: Lengths | None = None,
    axes: Axes | None = None,
    norm: Norm | None = "backward",
) -> Tensor:
    """Inverse of :func:`rfftn`, as ``numpy.fft.irfftn``; returns a real tensor.

    Args:
        z: ``(re, im)`` pair, a half spectrum along the last of ``axes``.
        s: output lengths along ``axes``. The default is the input lengths, with
            ``2 * (m - 1)`` on the last axis for ``m`` input bins; pass ``s`` to get
            odd lengths back.
        axes: 1 to 3 axes; None means all axes (or the last ``len(s)``).
        norm: ``"backward"``, ``"ortho"`` or ``"forward"``.

    Returns:
        A real tensor in the dtype of ``z``.

    Example:

    >>> x = keras.random.normal((2, 9, 7, 3))
    >>> y = irfftn(rfftn(x, axes=(1, 2)), s=(9, 7), axes=(1, 2))
    >>> tuple(y.shape)
    (2, 9, 7, 3)
    """
    return _checked_irfftn(z, s, axes, norm, "irfftn")


def _checked_irfftn(z, s, axes, norm, owner):
    re, im = as_pair(z, "z", owner)
    axes, s = normalize_axes(axes, len(re.shape), owner, s)
    norm = check_norm(norm, owner)
    if s is None and re.shape[axes[-1]] == 1:
        raise ValueError(
            f"{owner}: `z` has 1 bin along the last axis in `axes`, so the default "
            "output length 2 * (1 - 1) = 0 is empty; pass `s` (e.g. s[-1] = 1)."
        )
    return dispatch(_irfftn, _irfftn_spec, (re, im), s=s, axes=axes, norm=norm)


# fftn / ifftn --------------------------------------------------------------------


def _fftn(re, im, s, axes, norm, inverse):
    (re, im), dtype = to_compute(re, im)
    if s is not None:
        re, im = fit_lengths(re, axes, s), fit_lengths(im, axes, s)
    return to_dtype(_backend.fftn(re, im, axes, norm, inverse), dtype)


def _fftn_spec(re, im, s, axes, norm, inverse):
    lengths = s if s is not None else [re.shape[a] for a in axes]
    return pair_spec(spec_shape(re.shape, axes, lengths), re.dtype)


def _complex_fftn(z, s, axes, norm, inverse, owner):
    re, im = as_pair(z, "z", owner)
    axes, s = normalize_axes(axes, len(re.shape), owner, s)
    norm = check_norm(norm, owner)
    return dispatch(
        _fftn, _fftn_spec, (re, im), s=s, axes=axes, norm=norm, inverse=inverse
    )


def fftn(
    z: Pair,
    s: Lengths | None = None,
    axes: Axes | None = None,
    norm: Norm | None = "backward",
) -> Pair:
    """N-d complex FFT of a ``(re, im)`` pair, as ``numpy.fft.fftn``.

    Args:
        z: ``(re, im)`` pair of float tensors of one shape.
        s: lengths along ``axes`` before the transform (crop or zero-pad).
        axes: 1 to 3 axes; None means all axes (or the last ``len(s)``).
        norm: ``"backward"``, ``"ortho"`` or ``"forward"``.

    Returns:
        The ``(re, im)`` pair of the spectrum.

    Example:

    >>> x = keras.ops.ones((4, 6))
    >>> re, im = fftn((x, keras.ops.zeros_like(x)))
    """
    return _complex_fftn(z, s, axes, norm, False, "fftn")


def ifftn(
    z: Pair,
    s: Lengths | None = None,
    axes: Axes | None = None,
    norm: Norm | None = "backward",
) -> Pair:
    """N-d inverse complex FFT of a ``(re, im)`` pair, as ``numpy.fft.ifftn``.

    Takes the arguments of :func:`fftn` and returns the ``(re, im)`` signal.

    Example:

    >>> z = fftn((keras.ops.ones((4, 6)), keras.ops.zeros((4, 6))))
    >>> re, im = ifftn(z)
    """
    return _complex_fftn(z, s, axes, norm, True, "ifftn")


# 1-d and 2-d conveniences --------------------------------------------------------


def _one(n, axis, ndim, owner):
    """``n`` and ``axis`` of a 1-d transform as ``s`` and ``axes``."""
    axis = normalize_axis(axis, ndim, "axis", owner)
    if n is None:
        return None, (axis,)
    if not keras.ops.is_tensor(n):  # a dynamic length is trusted
        n = positive_int(n, "n", owner)
    return (n,), (axis,)


def _rank(x):
    return len(x[0].shape) if isinstance(x, tuple | list) else len(x.shape)


def rfft(
    x: Tensor, n: int | None = None, axis: int = -1, norm: Norm | None = "backward"
) -> Pair:
    """1-d :func:`rfftn` along ``axis``, as ``numpy.fft.rfft`` (``n``: length).

    Example:

    >>> import numpy as np
    >>> x = np.array([1.0, 2.0, 4.0, -1.0], "float32")
    >>> re, im = rfft(x)
    >>> tuple(re.shape)
    (3,)
    >>> np.round(keras.ops.convert_to_numpy(re), 3).tolist()  # numpy.fft.rfft(x).real
    [6.0, -3.0, 4.0]
    """
    x = as_float_tensor(x, "x", "rfft")
    s, axes = _one(n, axis, len(x.shape), "rfft")
    return _checked_rfftn(x, s, axes, norm, "rfft")


def irfft(
    z: Pair, n: int | None = None, axis: int = -1, norm: Norm | None = "backward"
) -> Tensor:
    """1-d :func:`irfftn` along ``axis``, as ``numpy.fft.irfft`` (``n``: length).

    Example:

    >>> import numpy as np
    >>> x = np.array([1.0, 2.0, 4.0, -1.0, 3.0], "float32")
    >>> y = irfft(rfft(x), n=5)  # an odd length needs n
    >>> np.round(keras.ops.convert_to_numpy(y), 3).tolist()
    [1.0, 2.0, 4.0, -1.0, 3.0]
    >>> tuple(irfft(rfft(x)).shape)  # default length 2 * (3 - 1)
    (4,)
    """
    s, axes = _one(n, axis, _rank(as_pair(z, "z", "irfft")), "irfft")
    return _checked_irfftn(z, s, axes, norm, "irfft")


def fft(
    z: Pair, n: int | None = None, axis: int = -1, norm: Norm | None = "backward"
) -> Pair:
    """1-d :func:`fftn` along ``axis``, as ``numpy.fft.fft`` (``n``: length).

    Example:

    >>> import numpy as np
    >>> x = np.array([1.0, 2.0, 4.0, -1.0], "float32")
    >>> re, im = fft((x, np.zeros_like(x)))
    >>> np.round(keras.ops.convert_to_numpy(re), 3).tolist()  # numpy.fft.fft(x).real
    [6.0, -3.0, 4.0, -3.0]
    """
    s, axes = _one(n, axis, _rank(as_pair(z, "z", "fft")), "fft")
    return _complex_fftn(z, s, axes, norm, False, "fft")


def ifft(
    z: Pair, n: int | None = None, axis: int = -1, norm: Norm | None = "backward"
) -> Pair:
    """1-d :func:`ifftn` along ``axis``, as ``numpy.fft.ifft`` (``n``: length).

    Example:

    >>> import numpy as np
    >>> x = np.array([1.0, 2.0, 4.0, -1.0], "float32")
    >>> re, im = ifft(fft((x, np.zeros_like(x))))
    >>> np.round(keras.ops.convert_to_numpy(re), 3).tolist()
    [1.0, 2.0, 4.0, -1.0]
    """
    s, axes = _one(n, axis, _rank(as_pair(z, "z", "ifft")), "ifft")
    return _complex_fftn(z, s, axes, norm, True, "ifft")


def rfft2(
    x: Tensor,
    s: Lengths | None = None,
    axes: Axes | None = (-2, -1),
    norm: Norm | None = "backward",
) -> Pair:
    """2-d :func:`rfftn` over ``axes``, as ``numpy.fft.rfft2``.

    Example:

    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((2, 4, 6)).astype("float32")
    >>> re, im = rfft2(x)
    >>> tuple(re.shape)
    (2, 4, 4)
    >>> expected = np.fft.rfft2(x)
    >>> bool(np.allclose(keras.ops.convert_to_numpy(re), expected.real, atol=1e-5))
    True
    """
    return _checked_rfftn(x, s, axes, norm, "rfft2")


def irfft2(
    z: Pair,
    s: Lengths | None = None,
    axes: Axes | None = (-2, -1),
    norm: Norm | None = "backward",
) -> Tensor:
    """2-d :func:`irfftn` over ``axes``, as ``numpy.fft.irfft2``.

    Example:

    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((2, 4, 5)).astype("float32")
    >>> y = irfft2(rfft2(x), s=(4, 5))
    >>> bool(np.allclose(keras.ops.convert_to_numpy(y), x, atol=1e-5))
    True
    """
    return _checked_irfftn(z, s, axes, norm, "irfft2")


def fft2(
    z: Pair,
    s: Lengths | None = None,
    axes: Axes | None = (-2, -1),
    norm: Norm | None = "backward",
) -> Pair:
    """2-d :func:`fftn` over ``axes``, as ``numpy.fft.fft2``.

    Example:

    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((2, 4, 6)).astype("float32")
    >>> re, im = fft2((x, np.zeros_like(x)))
    >>> tuple(re.shape)
    (2, 4, 6)
    >>> expected = np.fft.fft2(x)
    >>> bool(np.allclose(keras.ops.convert_to_numpy(im), expected.imag, atol=1e-5))
    True
    """
    return _complex_fftn(z, s, axes, norm, False, "fft2")


def ifft2(
    z: Pair,
    s: Lengths | None = None,
    axes: Axes | None = (-2, -1),
    norm: Norm | None = "backward",
) -> Pair:
    """2-d :func:`ifftn` over ``axes``, as ``numpy.fft.ifft2``.

    Example:

    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((2, 4, 6)).astype("float32")
    >>> re, im = ifft2(fft2((x, np.zeros_like(x))))
    >>> bool(np.allclose(keras.ops.convert_to_numpy(re), x, atol=1e-5))
    True
    """
    return _complex_fftn(z, s, axes, norm, True, "ifft2")
