"""FFTUpSampling: resample by zero-padding (or truncating) the Fourier spectrum."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.layers._rank import FixedRank
from kx.ops import checks, fourier_resample
from kx.ops.types import Config, IntOrTuple, Shape, Tensor

__all__ = ["FFTUpSampling", "FFTUpSampling1D", "FFTUpSampling2D", "FFTUpSampling3D"]


@keras.saving.register_keras_serializable(package="kx")
class FFTUpSampling(keras.layers.Layer):
    """Resample by zero-padding (or truncating) the Fourier spectrum.

    The real FFT of every spatial axis is taken, its frequencies below half the
    smaller of the input and output sizes are kept and placed into a zero spectrum
    of the output size, and the inverse FFT gives the output: trigonometric
    interpolation, exact for band-limited periodic signals, and downsampling
    without aliasing when the output is smaller. Amplitudes are preserved. Runs
    in float32 (float64 under a float64 policy) through kx.ops.

    Use :class:`FFTUpSampling1D`, :class:`FFTUpSampling2D` or
    :class:`FFTUpSampling3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        size: int or one int per spatial axis: the output is ``size`` times the
            input size. Give exactly one of ``size`` and ``target_size``.
        target_size: int or one int per spatial axis: the output size (smaller
            than the input to downsample).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)`` with known
            spatial sizes of at least 2.

    Example:

    >>> import numpy as np
    >>> y = FFTUpSampling1D(size=2)(np.ones((2, 16, 3), "float32"))
    >>> tuple(y.shape)
    (2, 32, 3)
    """

    def __init__(
        self,
        rank: int,
        size: IntOrTuple | None = None,
        target_size: IntOrTuple | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = checks.check_rank(rank, owner)
        if (size is None) == (target_size is None):
            raise ValueError(
                f"{owner}: give exactly one of `size` and `target_size`; got "
                f"size={size!r}, target_size={target_size!r}."
            )
        self.size = (
            None if size is None else checks.int_tuple(size, rank, "size", owner)
        )
        self.target_size = (
            None
            if target_size is None
            else checks.int_tuple(target_size, rank, "target_size", owner)
        )
        self.data_format = checks.data_format(data_format, owner)
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def _out_sizes(self, sizes):
        if self.target_size is not None:
            return self.target_size
        return tuple(None if n is None else n * f for n, f in zip(sizes, self.size))

    def _in_sizes(self, shape):
        return [shape[a] for a in checks.spatial_axes(self.rank, self.data_format)]

    def build(self, input_shape: Shape) -> None:
        checks.input_rank(input_shape, self.rank, type(self).__name__)
        self._check_sizes(self._in_sizes(input_shape))

    def _check_sizes(self, sizes):
        for n in list(sizes) + list(self._out_sizes(sizes)):
            if n is not None and n < 2:
                raise ValueError(
                    f"{type(self).__name__} needs spatial sizes >= 2 in and out; "
                    f"got input sizes {tuple(sizes)} and output sizes "
                    f"{self._out_sizes(sizes)}."
                )

    def call(self, inputs: Tensor) -> Tensor:
        sizes = self._in_sizes(inputs.shape)
        if any(n is None for n in sizes):
            raise ValueError(
                f"{type(self).__name__} needs known spatial sizes; got input shape "
                f"{tuple(inputs.shape)}."
            )
        self._check_sizes(sizes)
        axes = checks.spatial_axes(self.rank, self.data_format)
        y = fourier_resample(inputs, self._out_sizes(sizes), axes, self.compute_dtype)
        return ops.cast(y, self.compute_dtype)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        shape = list(input_shape)
        out = self._out_sizes(self._in_sizes(input_shape))
        for axis, n in zip(checks.spatial_axes(self.rank, self.data_format), out):
            shape[axis] = n
        return tuple(shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "rank": self.rank,
                "size": None if self.size is None else list(self.size),
                "target_size": None
                if self.target_size is None
                else list(self.target_size),
                "data_format": self.data_format,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class FFTUpSampling1D(FixedRank, FFTUpSampling):
    """1D Fourier resampling; the N-d :class:`FFTUpSampling` with ``rank=1``.

    Args:
        size: int or one int per spatial axis: the output is ``size`` times the
            input size. Give exactly one of ``size`` and ``target_size``.
        target_size: int or one int per spatial axis: the output size (smaller
            than the input to downsample).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)`` with known
            spatial sizes of at least 2.

    Example:

    >>> import numpy as np
    >>> y = FFTUpSampling1D(target_size=24)(np.ones((2, 16, 3), "float32"))
    >>> tuple(y.shape)
    (2, 24, 3)
    """

    def __init__(
        self,
        size: IntOrTuple | None = None,
        target_size: IntOrTuple | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            size=size,
            target_size=target_size,
            data_format=data_format,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FFTUpSampling2D(FixedRank, FFTUpSampling):
    """2D Fourier resampling; the N-d :class:`FFTUpSampling` with ``rank=2``.

    Args:
        size: int or one int per spatial axis: the output is ``size`` times the
            input size. Give exactly one of ``size`` and ``target_size``.
        target_size: int or one int per spatial axis: the output size (smaller
            than the input to downsample).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)`` with known
            spatial sizes of at least 2.

    Example:

    >>> import numpy as np
    >>> y = FFTUpSampling2D(size=2)(np.ones((2, 8, 8, 3), "float32"))
    >>> tuple(y.shape)
    (2, 16, 16, 3)
    """

    def __init__(
        self,
        size: IntOrTuple | None = None,
        target_size: IntOrTuple | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            size=size,
            target_size=target_size,
            data_format=data_format,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FFTUpSampling3D(FixedRank, FFTUpSampling):
    """3D Fourier resampling; the N-d :class:`FFTUpSampling` with ``rank=3``.

    Args:
        size: int or one int per spatial axis: the output is ``size`` times the
            input size. Give exactly one of ``size`` and ``target_size``.
        target_size: int or one int per spatial axis: the output size (smaller
            than the input to downsample).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)`` with known
            spatial sizes of at least 2.

    Example:

    >>> import numpy as np
    >>> y = FFTUpSampling3D(size=2)(np.ones((1, 4, 4, 4, 2), "float32"))
    >>> tuple(y.shape)
    (1, 8, 8, 8, 2)
    """

    def __init__(
        self,
        size: IntOrTuple | None = None,
        target_size: IntOrTuple | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            3,
            size=size,
            target_size=target_size,
            data_format=data_format,
            **kwargs,
        )
