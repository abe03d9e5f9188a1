"""Truncated transforms: ``rfftn`` straight to the kept modes, and back.

:func:`truncated_rfftn` is ``truncate_modes(rfftn(x, axes=axes), modes, axes)`` and
:func:`padded_irfftn` is ``irfftn(pad_modes(z, ...), s=s, axes=axes)`` in one call
each. When few modes are kept, as in a Fourier layer, they compute only those
modes: a discrete Fourier transform as one matrix product per axis (with the
``(re, im)`` parts stacked, so a complex product is one real product) costs
``O(n * m)`` per signal and runs at matrix-multiply speed, where the FFT computes
all ``n`` frequencies to throw most of them away. ``method="fft"`` composes the
FFT functions instead; ``"auto"`` (the default) picks the matrix products when
every transformed length is static and their FLOPs are within the backend's
measured crossover with the FFT's (see :func:`dft_is_cheaper`).

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

__all__ = [
    "truncated_rfftn",
    "padded_irfftn",
    "dft_is_cheaper",
    "dft_flops",
    "fft_flops",
]

METHODS = ("auto", "dft", "fft")

# "auto" uses matrix products while their FLOPs are at most this many times the
# FFT's (dft_flops / fft_flops below): the throughput of the backend's matrix
# products over its FFT's, measured as the crossover of one spectral-path train
# step on this project's 2-core CPU (benchmarks/bench_scaling.py, 1-D lengths 256
# to 8192 with 8 to 128 modes and 2-D 32x32 to 128x128 with 4 to 24 modes, 34
# points per backend: the factor below picks the faster method at 33 of them on
# jax and tensorflow and 32 on torch; benchmarks/results/roofline.md). A
# backend not listed gets the smallest.
DFT_SPEEDUP = {"jax": 6.0, "tensorflow": 8.0, "torch": 12.0}


def dft_flops(lengths: Sequence[int], modes: Sequence[int]) -> int:
    """Real FLOPs per signal of a truncated rfftn plus a padded irfftn by DFT.

    One unit of batch and channels: the last axis maps ``n`` real samples to
    ``m`` complex bins, ``4 m n``; every other axis, on what the axes after it
    kept, maps ``2 n`` stacked (re, im) values to ``4 m`` by a block matrix; the
    inverse mirrors it.

    Example:

    >>> dft_flops([1024], [16])  # 4 * 16 * 1024, forward and inverse
    131072
    """
    *full, last = range(len(lengths))
    elements = math.prod(lengths)
    forward = 4 * modes[last] * elements
    elements = elements // lengths[last] * modes[last]
    for axis in full:
        forward += 16 * modes[axis] * elements
        elements = elements // lengths[axis] * 2 * modes[axis]
    kept = [2 * m for m in modes[:-1]] + [modes[-1]]
    elements, inverse = math.prod(kept), 0
    for axis in full:
        inverse += 8 * lengths[axis] * elements
        elements = elements // kept[axis] * lengths[axis]
    return forward + inverse + 4 * lengths[last] * elements


def fft_flops(lengths: Sequence[int]) -> float:
    """Real FLOPs per signal of an rfftn plus an irfftn: the radix-2 counts.

    ``2.5 n log2 n`` per real transform of length ``n`` (the last axis), ``5 n
    log2 n`` per complex one (the others, on ``n // 2 + 1`` bins of the last).

    Example:

    >>> fft_flops([1024])  # 2 * 2.5 * 1024 * 10
    51200.0
    """
    real = math.prod(lengths)
    flops = 2.5 * real * math.log2(max(lengths[-1], 2))
    half = real // lengths[-1] * (lengths[-1] // 2 + 1)
    flops += sum(5 * half * math.log2(max(n, 2)) for n in lengths[:-1])
    return 2 * flops


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
        True when every length is static and :func:`dft_flops` is at most
        ``DFT_SPEEDUP[backend]`` times :func:`fft_flops`: the measured crossover
        of this backend's matrix products and FFTs.

    Example:

    >>> dft_is_cheaper([1024], [16])  # 2.56 times the FFT's FLOPs
    True
    >>> dft_is_cheaper([128], [60])  # 13.7 times
    False
    >>> dft_is_cheaper([None, 64], [4, 4])  # a dynamic length
    False
    """
    static = [n for n in lengths if isinstance(n, int)]
    if len(static) != len(lengths):
        return False
    speedup = DFT_SPEEDUP.get(keras.config.backend(), min(DFT_SPEEDUP.values()))
    return dft_flops(static, modes) <= speedup * fft_flops(static)


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
