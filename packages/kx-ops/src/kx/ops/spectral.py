"""Spectral truncation: keep the lowest modes of an rfftn spectrum, scatter them back.

Convention, for a spectrum from ``rfftn(x, axes=axes)`` and ``m`` modes on an axis:

* on every axis but the last of ``axes`` (full-FFT axes), the ``m`` lowest
  non-negative frequencies (indices ``[:m]``) and the ``m`` most negative ones
  (indices ``[-m:]``) are kept, concatenated in that order: length ``2 * m``;
* on the last axis of ``axes`` (the half-spectrum rfft axis), indices ``[:m]``:
  length ``m``.

:func:`pad_modes` is the inverse scatter into a zero spectrum of any size, so a
layer that keeps fixed modes works at any resolution:
``irfftn(pad_modes(truncate_modes(z, m, axes), sizes, m, axes), s=shape, axes=axes)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

from kx.ops import _backend
from kx.ops._operation import dispatch
from kx.ops.checks import as_pair, check_modes, fail, normalize_axes
from kx.ops.fft import pair_spec, spec_shape
from kx.ops.types import Axes, IntOrTuple, Pair, Tensor

__all__ = ["truncate_modes", "pad_modes", "check_modes_fit"]


def take_range(x, axis, start, stop):
    """``x[start:stop]`` along ``axis``."""
    return x[(slice(None),) * axis + (slice(start, stop),)]


def kept_length(modes, index, count):
    """Length kept on the ``index``-th of ``count`` axes: ``2 m``, or ``m`` last."""
    return modes[index] if index == count - 1 else 2 * modes[index]


def _spec(re, axes, sizes):
    return pair_spec(spec_shape(re.shape, axes, sizes), re.dtype)


def check_room(sizes, modes, axes, what, owner):
    """Raise when ``sizes`` (static lengths) cannot hold ``modes``."""
    for i, (axis, size) in enumerate(zip(axes, sizes)):
        if not isinstance(size, int):
            continue
        last = i == len(axes) - 1
        need = kept_length(modes, i, len(axes))
        if size < need:
            rule = (
                "m <= n // 2 + 1 bins on the last (rfft) axis"
                if last
                else "2 * m <= n on a full-FFT axis"
            )
            raise ValueError(
                f"{owner}: `modes` = {modes} does not fit {what} along axis {axis}: "
                f"{modes[i]} modes need {need} entries there, but it has {size} "
                f"({rule})."
            )


def check_modes_fit(
    spatial_shape: Sequence[int | Tensor | None], modes: Sequence[int], owner: str
) -> None:
    """Raise if a static spatial size is too small for the kept modes.

    The convention of :func:`truncate_modes` on the spatial axes of a layer:
    ``m`` modes of each sign on every axis but the last need a size of at least
    ``2 * m``; the ``m`` lowest on the last axis need ``n // 2 + 1 >= m``. Sizes
    that are ``None`` or not Python ints (traced tensors) are skipped.

    Args:
        spatial_shape: the spatial sizes, one per axis (ints, ``None`` or
            tensors).
        modes: one int per spatial axis: the modes kept there.
        owner: the name that starts the error message (a layer's class name).

    Returns:
        None; raises a ``ValueError`` naming ``owner``, the axis, its size and
        ``modes`` when a size is too small.

    Example:

    >>> check_modes_fit((16, None), (4, 4), "SpectralConv2D")  # fits: no error
    >>> check_modes_fit((5,), (4,), "SpectralConv1D")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: SpectralConv1D: the last spatial axis has size 5, but modes=4 ...
    """
    last = len(modes) - 1
    for axis, (n, m) in enumerate(zip(spatial_shape, modes)):
        if n is None or not isinstance(n, int):
            continue
        if axis < last and n < 2 * m:
            raise ValueError(
                f"{owner}: spatial axis {axis} has size {n}, but modes={m} keeps "
                f"{m} modes of each sign and needs a size >= {2 * m}."
            )
        if axis == last and n // 2 + 1 < m:
            raise ValueError(
                f"{owner}: the last spatial axis has size {n}, but modes={m} needs "
                f"a size >= {2 * m - 2} (n // 2 + 1 >= modes)."
            )


# truncate_modes ------------------------------------------------------------------


def _truncate_one(x, modes, axes):
    for i, axis in enumerate(axes):
        m = modes[i]
        if i == len(axes) - 1:
            x = take_range(x, axis, 0, m)
        else:
            x = keras.ops.concatenate(
                [take_range(x, axis, 0, m), take_range(x, axis, -m, None)], axis=axis
            )
    return x


def _truncate(re, im, modes, axes):
    z = _backend.as_complex(re, im, copy=False)
    if z is not None:  # one complex tensor instead of two strided parts
        return _backend.split(_truncate_one(z, modes, axes))
    return tuple(_truncate_one(x, modes, axes) for x in (re, im))


def _truncate_spec(re, im, modes, axes):
    return _spec(re, axes, [kept_length(modes, i, len(axes)) for i in range(len(axes))])


def truncate_modes(z: Pair, modes: IntOrTuple, axes: Axes) -> Pair:
    """Keep the lowest ``modes`` of an rfftn spectrum ``z`` along ``axes``.

    Args:
        z: ``(re, im)`` pair from ``rfftn(..., axes=axes)``; the last of ``axes``
            is its half-spectrum axis.
        modes: an int, or one int per axis in ``axes``.
        axes: the transformed axes, in the order given to ``rfftn``.

    Returns:
        The smaller ``(re, im)`` pair: length ``2 * m`` on each full-FFT axis
        (indices ``[:m]`` then ``[-m:]``) and ``m`` on the last axis.

    Example:

    >>> from kx.ops import rfftn
    >>> z = rfftn(keras.ops.ones((2, 16, 16, 3)), axes=(1, 2))
    >>> re, im = truncate_modes(z, 4, axes=(1, 2))
    >>> tuple(re.shape)
    (2, 8, 4, 3)
    """
    owner = "truncate_modes"
    re, im = as_pair(z, "z", owner)
    axes, _ = normalize_axes(axes, len(re.shape), owner)
    modes = check_modes(modes, len(axes), owner)
    check_room([re.shape[a] for a in axes], modes, axes, "the spectrum `z`", owner)
    return dispatch(_truncate, _truncate_spec, (re, im), modes=modes, axes=axes)


# pad_modes -----------------------------------------------------------------------


def check_padded_input(re, modes, axes, owner):
    """Raise unless ``re`` has ``2 m`` entries on full-FFT axes, ``m`` on the last."""
    for i, axis in enumerate(axes):
        have, need = re.shape[axis], kept_length(modes, i, len(axes))
        if have is not None and have != need:
            raise ValueError(
                f"{owner}: `z` must have {need} entries along axis {axis} for "
                f"modes={modes} "
                f"(2 * m on full-FFT axes, m on the last axis of `axes`); got "
                f"shape {tuple(re.shape)}."
            )


def _zeros_like_along(x, axis, length):
    shape = list(keras.ops.shape(x))
    shape[axis] = length
    return keras.ops.zeros(shape, x.dtype)


def _pad_one(x, sizes, modes, axes):
    for i, axis in enumerate(axes):
        m, size = modes[i], sizes[i]
        last = i == len(axes) - 1
        gap = size - (m if last else 2 * m)
        if isinstance(gap, int) and gap == 0:
            continue
        zeros = _zeros_like_along(x, axis, gap)
        if last:
            parts = [x, zeros]
        else:
            parts = [take_range(x, axis, 0, m), zeros, take_range(x, axis, m, None)]
        x = keras.ops.concatenate(parts, axis=axis)
    return x


def _pad(re, im, sizes, modes, axes):
    z = _backend.as_complex(re, im, copy=True)
    if z is not None:  # one complex tensor instead of two parts
        return _backend.split(_pad_one(z, sizes, modes, axes))
    return tuple(_pad_one(x, sizes, modes, axes) for x in (re, im))


def _pad_spec(re, im, sizes, modes, axes):
    return _spec(re, axes, sizes)


def pad_modes(
    z: Pair, sizes: int | Sequence[int | Tensor], modes: IntOrTuple, axes: Axes
) -> Pair:
    """Scatter a :func:`truncate_modes` pair into a zero spectrum of lengths ``sizes``.

    Args:
        z: ``(re, im)`` pair with ``2 * m`` entries on each full-FFT axis and ``m``
            on the last of ``axes``.
        sizes: the spectrum lengths along ``axes``: the full length ``n`` on each
            non-last axis, ``n // 2 + 1`` on the last. Ints, or (inside traced
            tensorflow graphs) scalar tensors.
        modes: an int, or one int per axis in ``axes``.
        axes: the transformed axes, in the order given to ``rfftn``.

    Returns:
        The ``(re, im)`` pair of the zero-filled spectrum, ready for
        ``irfftn(..., s=spatial_shape, axes=axes)``.

    Example:

    >>> from kx.ops import irfftn, rfftn
    >>> x = keras.random.normal((2, 16, 16, 3))
    >>> z = truncate_modes(rfftn(x, axes=(1, 2)), 4, axes=(1, 2))
    >>> full = pad_modes(z, (32, 17), 4, axes=(1, 2))  # for a 32x32 output
    >>> tuple(irfftn(full, s=(32, 32), axes=(1, 2)).shape)
    (2, 32, 32, 3)
    """
    owner = "pad_modes"
    re, im = as_pair(z, "z", owner)
    axes, _ = normalize_axes(axes, len(re.shape), owner)
    modes = check_modes(modes, len(axes), owner)
    if isinstance(sizes, int):
        sizes = (sizes,)
    if not isinstance(sizes, tuple | list) or len(sizes) != len(axes):
        fail(
            owner,
            "sizes",
            sizes,
            f"one length per axis in `axes` ({len(axes)} for axes {axes})",
        )
    for size in sizes:
        if isinstance(size, bool) or (isinstance(size, int) and size < 1):
            fail(owner, "sizes", sizes, "positive lengths")
    sizes = tuple(sizes)
    check_padded_input(re, modes, axes, owner)
    check_room(sizes, modes, axes, "`sizes`", owner)
    return dispatch(_pad, _pad_spec, (re, im), sizes=sizes, modes=modes, axes=axes)
