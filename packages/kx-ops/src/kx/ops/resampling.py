"""Fourier resampling: trigonometric interpolation to other sizes on a periodic grid.

:func:`fourier_resample` takes the real FFT of a signal, keeps the frequencies both
sizes can hold and transforms back at the new size. kx.layers' ``FFTUpSampling``
and the ``output_scaling_factor`` of its ``FNO`` layers run it.
"""

from __future__ import annotations

from collections.abc import Sequence

from keras import ops

from kx.ops.fft import fft_dtype, irfftn, rfftn
from kx.ops.types import DType, Tensor

__all__ = ["fourier_resample"]


def _resample_axis(z, axis, size, out_size, half):
    """Move the kept frequencies of one spectrum axis into a zero one of the new size.

    Frequencies ``-m..m-1`` with ``m = min(size, out_size) // 2`` are kept (only
    ``0..m-1`` on the ``half`` axis of an rfft). Written with gathers and a mask,
    so ``size`` and ``out_size`` may be tensors (traced tensorflow graphs).
    """
    m = ops.minimum(size, out_size) // 2
    j = ops.arange(out_size // 2 + 1 if half else out_size)
    if half:
        keep = j < m
        index = j
    else:
        keep = ops.logical_or(j < m, j >= out_size - m)
        index = ops.where(j < m, j, j - out_size + size)
    index = ops.where(keep, index, ops.zeros_like(index))
    mask = ops.cast(keep, z[0].dtype)
    for _ in range(len(z[0].shape) - 1 - axis):
        mask = ops.expand_dims(mask, -1)
    return tuple(ops.take(part, index, axis=axis) * mask for part in z)


def fourier_resample(
    x: Tensor,
    out_sizes: Sequence[int | Tensor],
    axes: Sequence[int],
    compute_dtype: DType,
) -> Tensor:
    """Trigonometric interpolation of ``x`` along ``axes`` to ``out_sizes``.

    The real FFT (scaled by ``1 / n``) keeps the frequencies below half the
    smaller of the input and output size of every axis, which are placed into a
    zero spectrum of the output size and transformed back unscaled: amplitudes are
    preserved, band-limited periodic signals are resampled exactly, and a smaller
    output is an alias-free downsampling.

    Args:
        x: a real float tensor.
        out_sizes: one output size per axis of ``axes``: ints or (in traced
            tensorflow graphs) scalar tensors.
        axes: the axes to resample, as for :func:`~kx.ops.rfftn` (the last of
            them is the half-spectrum axis).
        compute_dtype: the dtype whose FFT dtype (:func:`~kx.ops.fft_dtype`) the
            computation runs in, e.g. a layer's ``compute_dtype``.

    Returns:
        ``x`` resampled to ``out_sizes`` along ``axes``, in the FFT dtype of
        ``compute_dtype`` (float32, or float64 for float64).

    Example:

    >>> import numpy as np
    >>> x = np.cos(2 * np.pi * np.arange(8) / 8)[None, :, None]  # (1, 8, 1)
    >>> y = fourier_resample(x, (16,), (1,), "float64")
    >>> tuple(y.shape)
    (1, 16, 1)
    >>> np.round(ops.convert_to_numpy(y)[0, :4, 0], 4).tolist()
    [1.0, 0.9239, 0.7071, 0.3827]
    """
    x = ops.cast(x, fft_dtype(compute_dtype))
    shape = ops.shape(x)
    z = rfftn(x, axes=axes, norm="forward")
    for i, (axis, out_size) in enumerate(zip(axes, out_sizes)):
        half = i == len(axes) - 1
        z = _resample_axis(z, axis, shape[axis], out_size, half)
    return irfftn(z, s=tuple(out_sizes), axes=axes, norm="forward")
