"""Truncated transforms: ``rfftn`` straight to the kept modes, and back.

:func:`truncated_rfftn` is ``truncate_modes(rfftn(x, axes=axes), modes, axes)`` and
:func:`padded_irfftn` is ``irfftn(pad_modes(z, ...), s=s, axes=axes)`` in one call
each. When few modes are kept, as in a Fourier layer, they compute only those
modes: a discrete Fourier transform as one matrix product per axis (with the
``(re, im)`` parts stacked, so a complex product is one real product) costs
``O(n * m)`` per signal and runs at matrix-multiply speed, where the FFT computes
all ``n`` frequencies to throw most of them away. ``method="fft"`` composes the
FFT functions instead; ``"auto"`` (the default) picks the matrix products when
every transformed length is static and the kept modes are few (see
:func:`dft_is_cheaper`).

The matrices are built in numpy (float64 angles, reduced modulo ``n``) once per
length, mode count, norm and dtype, and enter the computation as constants.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import keras
import numpy as np

from kx.ops._operation import dispatch, dtype_name, memoized, to_compute, to_dtype
from kx.ops.checks import (
    as_float_tensor,
    as_pair,
    check_modes,
    check_norm,
    fail,
    normalize_axes,
)
from kx.ops.fft import irfftn, pair_spec, rfftn, spec_shape
from kx.ops.float64 import matmul
from kx.ops.spectral import (
    check_padded_input,
    check_room,
    kept_length,
    pad_modes,
    take_range,
    truncate_modes,
)
from kx.ops.types import Axes, IntOrTuple, Lengths, Norm, Pair, Tensor

Method = Literal["auto", "dft", "fft"]

__all__ = ["truncated_rfftn", "padded_irfftn", "dft_is_cheaper"]

METHODS = ("auto", "dft", "fft")

# "auto" uses matrix products while the kept modes of every axis are at most this
# many times log2 of its length. A chosen bound, not a measured crossover: the
# O(n * kept) product runs near the machine's peak where the O(n log n) FFT does
# not, and at the benchmark sizes (16 of 1024 kept, 0.4 of the bound; 24 and 12 of
# 64, at and half the bound) it measured faster on every backend
# (benchmarks/results/layers.md); wider spectra keep the FFT.
DFT_FACTOR = 4.0


def dft_is_cheaper(
    lengths: Sequence[int | Tensor | None], modes: Sequence[int]
) -> bool:
    """Whether ``"auto"`` computes the kept modes as matrix products.

    Args:
        lengths: the signal lengths along the transformed axes (the last is the
            half-spectrum axis); a length that is not a Python int (a dynamic
            one) means no.
        modes: one int per axis.

    Returns:
        True when every length is static and every axis keeps at most
        ``DFT_FACTOR * log2(n)`` frequencies (``2 m`` on full-FFT axes, ``m`` on
        the last).

    Example:

    >>> dft_is_cheaper([1024], [16])  # 16 kept <= 4 * log2(1024) = 40
    True
    >>> dft_is_cheaper([64], [32])  # 32 kept > 4 * log2(64) = 24
    False
    >>> dft_is_cheaper([None, 64], [4, 4])  # a dynamic length
    False
    """
    count = len(lengths)
    for i, n in enumerate(lengths):
        if not isinstance(n, int):
            return False
        if kept_length(modes, i, count) > DFT_FACTOR * math.log2(max(n, 2)):
            return False
    return True


# the matrices --------------------------------------------------------------------


def _scale(norm, n, inverse):
    """The factor one axis of length ``n`` contributes to a transform's scaling."""
    if norm == "ortho":
        return n**-0.5
    scaled = "forward" if not inverse else "backward"
    return 1.0 / n if norm == scaled else 1.0


def _frequencies(n, m, last):
    """Indices of the kept frequencies: ``[:m]`` (last axis) or ``[:m]`` + ``[-m:]``."""
    k = np.arange(m)
    return k if last else np.concatenate([k, np.arange(n - m, n)])


def _angles(n, k):
    """``2 pi t k / n`` for ``t`` in ``range(n)``, exact modulo ``n``: shape (n, k)."""
    return 2.0 * np.pi * (np.outer(np.arange(n), k) % n) / n


@memoized
def _real_forward(n, m, norm, dtype):
    """(2m, n): a real signal to its lowest m bins, real parts then imaginary."""
    theta = _angles(n, _frequencies(n, m, last=True)).T
    scale = _scale(norm, n, inverse=False)
    return (np.concatenate([np.cos(theta), -np.sin(theta)]) * scale).astype(dtype)


@memoized
def _real_inverse(n, m, norm, dtype):
    """(n, 2m): m bins (real parts then imaginary) to a real signal, as irfft.

    An interior bin stands for itself and its mirror image, so it counts twice;
    the DC and (even n) Nyquist bins count once, with their imaginary parts
    ignored (their sines are zero).
    """
    k = _frequencies(n, m, last=True)
    theta = _angles(n, k)
    weight = np.where((k == 0) | (2 * k == n), 1.0, 2.0)
    scale = _scale(norm, n, inverse=True)
    parts = [weight * np.cos(theta), -weight * np.sin(theta)]
    return (np.concatenate(parts, 1) * scale).astype(dtype)


def _complex_block(cos, sin):
    """(2b, 2a) real matrix of the complex (b, a) matrix ``cos + i sin``.

    It maps the real parts then the imaginary parts of an input of length ``a`` to
    those of the output, of length ``b``.
    """
    return np.block([[cos, -sin], [sin, cos]])


@memoized
def _complex_forward(n, m, norm, dtype):
    """(4m, 2n): a complex signal to its ``m`` lowest bins of each sign."""
    theta = _angles(n, _frequencies(n, m, last=False)).T
    scale = _scale(norm, n, inverse=False)
    return (_complex_block(np.cos(theta), -np.sin(theta)) * scale).astype(dtype)


@memoized
def _complex_inverse(n, m, norm, dtype):
    """(2n, 4m): ``m`` bins of each sign to a complex signal of length n."""
    theta = _angles(n, _frequencies(n, m, last=False))
    scale = _scale(norm, n, inverse=True)
    return (_complex_block(np.cos(theta), np.sin(theta)) * scale).astype(dtype)


# the products --------------------------------------------------------------------


def _apply(z, matrix, axis):
    """``matrix`` (k, n) times ``z`` along ``axis`` (length n): length k there.

    As one matrix product of contiguous operands, whatever the axis: the axes
    before ``axis`` are a batch and those after it the columns, so no operand is
    transposed (einsum's transposes cost more than the products). The matrix is
    broadcast over that batch as a batched product's left operand: XLA then
    multiplies each batch entry in place, where a 2-d matrix against the 3-d
    tensor made it transpose the tensor to ``(n, batch * columns)`` first (the
    FNO1D train step of benchmarks/bench_layers.py: 5% faster on jax, 3% on
    tensorflow, benchmarks/results/roofline.md).
    """
    # (static lengths where known; the others, e.g. a traced batch, as tensors)
    shape = tuple(keras.ops.shape(z))
    rows, n = matrix.shape
    before, after = math.prod(shape[:axis]), math.prod(shape[axis + 1 :])
    matrix = keras.ops.convert_to_tensor(matrix)
    if isinstance(after, int) and after == 1:
        z = keras.ops.reshape(z, (before, n))
        y = matmul(z, keras.ops.transpose(matrix))
    elif dtype_name(z.dtype) == "float64":  # float64.matmul: a 2-d matrix operand
        y = matmul(matrix, keras.ops.reshape(z, (before, n, after)))
    else:
        batched = keras.ops.broadcast_to(matrix, (before, rows, n))
        y = keras.ops.matmul(batched, keras.ops.reshape(z, (before, n, after)))
    return keras.ops.reshape(y, (*shape[:axis], rows, *shape[axis + 1 :]))


def _split(z, axis):
    """The real and imaginary halves of ``z`` along ``axis``."""
    half = z.shape[axis] // 2
    return take_range(z, axis, 0, half), take_range(z, axis, half, None)


def _truncated_dft(x, modes, axes, norm):
    (x,), dtype = to_compute(x)
    np_dtype = dtype_name(x.dtype)
    *full, last = axes
    matrix = _real_forward(x.shape[last], modes[-1], norm, np_dtype)
    re, im = _split(_apply(x, matrix, last), last)
    for i, axis in enumerate(full):
        matrix = _complex_forward(x.shape[axis], modes[i], norm, np_dtype)
        stacked = keras.ops.concatenate([re, im], axis)
        re, im = _split(_apply(stacked, matrix, axis), axis)
    return to_dtype((re, im), dtype)


def _padded_dft(re, im, s, modes, axes, norm):
    (re, im), dtype = to_compute(re, im)
    np_dtype = dtype_name(re.dtype)
    *full, last = axes
    for i, axis in enumerate(full):
        matrix = _complex_inverse(s[i], modes[i], norm, np_dtype)
        stacked = keras.ops.concatenate([re, im], axis)
        re, im = _split(_apply(stacked, matrix, axis), axis)
    matrix = _real_inverse(s[-1], modes[-1], norm, np_dtype)
    y = _apply(keras.ops.concatenate([re, im], last), matrix, last)
    return to_dtype((y,), dtype)[0]


def _truncated_spec(x, modes, axes, norm):
    kept = [kept_length(modes, i, len(axes)) for i in range(len(axes))]
    return pair_spec(spec_shape(x.shape, axes, kept), x.dtype)


def _padded_spec(re, im, s, modes, axes, norm):
    return keras.KerasTensor(spec_shape(re.shape, axes, s), re.dtype)


def _check_method(method, owner):
    if method not in METHODS:
        fail(owner, "method", method, f"one of {METHODS}")


def _choose(method, lengths, modes, what, owner):
    if method == "fft":
        return False
    static = all(isinstance(n, int) for n in lengths)
    if method == "dft" and not static:
        raise ValueError(
            f'{owner}: `method="dft"` needs static lengths along `axes`; {what} has '
            f"lengths {tuple(lengths)}. Use method='fft' or 'auto' for dynamic lengths."
        )
    return method == "dft" or dft_is_cheaper(lengths, modes)


def truncated_rfftn(
    x: Tensor,
    modes: IntOrTuple,
    axes: Axes | None = None,
    norm: Norm | None = "backward",
    method: Method = "auto",
) -> Pair:
    """The lowest ``modes`` of ``rfftn(x, axes=axes, norm=norm)``, computed directly.

    Equal to ``truncate_modes(rfftn(x, axes=axes, norm=norm), modes, axes)``: on
    every axis but the last of ``axes`` the ``m`` lowest non-negative and the
    ``m`` most negative frequencies (length ``2 m``), on the last the bins
    ``[:m]``.

    Args:
        x: real floating tensor.
        modes: an int, or one int per axis in ``axes``.
        axes: 1 to 3 axes; None means all axes.
        norm: ``"backward"``, ``"ortho"`` or ``"forward"``.
        method: ``"dft"`` (matrix products; static lengths only), ``"fft"``
            (:func:`rfftn` then :func:`truncate_modes`) or ``"auto"``.

    Returns:
        The ``(re, im)`` pair of the kept modes, in the dtype of ``x``.

    Example:

    >>> x = keras.random.normal((2, 64, 3))
    >>> re, im = truncated_rfftn(x, 8, axes=(1,))
    >>> tuple(re.shape)
    (2, 8, 3)
    """
    owner = "truncated_rfftn"
    x = as_float_tensor(x, "x", owner)
    axes, _ = normalize_axes(axes, len(x.shape), owner)
    modes = check_modes(modes, len(axes), owner)
    norm = check_norm(norm, owner)
    _check_method(method, owner)
    lengths = [x.shape[a] for a in axes]
    bins = [*lengths[:-1], None if lengths[-1] is None else lengths[-1] // 2 + 1]
    check_room(bins, modes, axes, "the spectrum of `x`", owner)
    if not _choose(method, lengths, modes, "`x`", owner):
        return truncate_modes(rfftn(x, axes=axes, norm=norm), modes, axes)
    return dispatch(
        _truncated_dft, _truncated_spec, (x,), modes=modes, axes=axes, norm=norm
    )


def padded_irfftn(
    z: Pair,
    s: Lengths,
    modes: IntOrTuple,
    axes: Axes | None = None,
    norm: Norm | None = "backward",
    method: Method = "auto",
) -> Tensor:
    """``irfftn`` of a :func:`truncated_rfftn` pair, zero-filled to lengths ``s``.

    Equal to ``irfftn(pad_modes(z, sizes, modes, axes), s=s, axes=axes,
    norm=norm)`` with ``sizes`` the spectrum lengths of ``s`` (``s[-1] // 2 + 1``
    on the last axis): a layer that keeps fixed modes returns a signal of any
    length.

    Args:
        z: ``(re, im)`` pair with ``2 m`` entries on each full-FFT axis and ``m``
            on the last of ``axes``.
        s: the output lengths along ``axes`` (ints; tensors inside traced
            tensorflow graphs, with ``method="fft"`` or ``"auto"``).
        modes: an int, or one int per axis in ``axes``.
        axes: 1 to 3 axes; None means the last ``len(s)`` axes.
        norm: ``"backward"``, ``"ortho"`` or ``"forward"``.
        method: ``"dft"``, ``"fft"`` or ``"auto"``, as in :func:`truncated_rfftn`.

    Returns:
        A real tensor in the dtype of ``z``.

    Example:

    >>> x = keras.random.normal((2, 64, 3))
    >>> z = truncated_rfftn(x, 8, axes=(1,))
    >>> tuple(padded_irfftn(z, (128,), 8, axes=(1,)).shape)
    (2, 128, 3)
    """
    owner = "padded_irfftn"
    re, im = as_pair(z, "z", owner)
    axes, lengths = normalize_axes(axes, len(re.shape), owner, s)
    if lengths is None:
        fail(owner, "s", s, "the output lengths along `axes`")
    modes = check_modes(modes, len(axes), owner)
    norm = check_norm(norm, owner)
    _check_method(method, owner)
    sizes = list(lengths)
    if isinstance(sizes[-1], int):
        sizes[-1] = sizes[-1] // 2 + 1
    check_room(sizes, modes, axes, "`s`", owner)
    if not _choose(method, list(lengths), modes, "`s`", owner):
        full = pad_modes((re, im), (*sizes[:-1], modes[-1]), modes, axes)
        return irfftn(full, s=lengths, axes=axes, norm=norm)
    check_padded_input(re, modes, axes, owner)
    return dispatch(
        _padded_dft,
        _padded_spec,
        (re, im),
        s=lengths,
        modes=modes,
        axes=axes,
        norm=norm,
    )
