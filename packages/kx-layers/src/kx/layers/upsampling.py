"""Resampling layers: FFT (spectral zero-padding) and smooth (upsample + conv)."""

from __future__ import annotations

import keras
from keras import ops

from kx import ops as kx_ops
from kx.layers import _validation as v
from kx.layers._conv import CONV, UPSAMPLING
from kx.layers._rank import FixedRank
from kx.layers.spectral_conv import fft_dtype


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


def fourier_resample(x, out_sizes, axes, compute_dtype):
    """Trigonometric interpolation of ``x`` along ``axes`` to ``out_sizes``.

    The real FFT (scaled by ``1 / n``) keeps the frequencies below half the
    smaller of the input and output size of every axis, which are placed into a
    zero spectrum of the output size and transformed back unscaled: amplitudes are
    preserved, band-limited periodic signals are resampled exactly, and a smaller
    output is an alias-free downsampling. Sizes may be ints or (in traced
    tensorflow graphs) scalar tensors. Returns the FFT dtype of ``compute_dtype``
    (float32, or float64 for float64).
    """
    x = ops.cast(x, fft_dtype(compute_dtype))
    shape = ops.shape(x)
    z = kx_ops.rfftn(x, axes=axes, norm="forward")
    for i, (axis, out_size) in enumerate(zip(axes, out_sizes)):
        half = i == len(axes) - 1
        z = _resample_axis(z, axis, shape[axis], out_size, half)
    return kx_ops.irfftn(z, s=tuple(out_sizes), axes=axes, norm="forward")


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
    >>> FFTUpSampling1D(size=2)(np.ones((2, 16, 3), "float32")).shape
    (2, 32, 3)
    """

    def __init__(self, rank, size=None, target_size=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = v.check_rank(rank, owner)
        if (size is None) == (target_size is None):
            raise ValueError(
                f"{owner}: give exactly one of `size` and `target_size`; got "
                f"size={size!r}, target_size={target_size!r}."
            )
        self.size = None if size is None else v.int_tuple(size, rank, "size", owner)
        self.target_size = (
            None
            if target_size is None
            else v.int_tuple(target_size, rank, "target_size", owner)
        )
        self.data_format = v.data_format(data_format, owner)
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def _out_sizes(self, sizes):
        if self.target_size is not None:
            return self.target_size
        return tuple(None if n is None else n * f for n, f in zip(sizes, self.size))

    def _in_sizes(self, shape):
        return [shape[a] for a in v.spatial_axes(self.rank, self.data_format)]

    def build(self, input_shape):
        v.input_rank(input_shape, self.rank, type(self).__name__)
        self._check_sizes(self._in_sizes(input_shape))

    def _check_sizes(self, sizes):
        for n in list(sizes) + list(self._out_sizes(sizes)):
            if n is not None and n < 2:
                raise ValueError(
                    f"{type(self).__name__} needs spatial sizes >= 2 in and out; "
                    f"got input sizes {tuple(sizes)} and output sizes "
                    f"{self._out_sizes(sizes)}."
                )

    def call(self, inputs):
        sizes = self._in_sizes(inputs.shape)
        if any(n is None for n in sizes):
            raise ValueError(
                f"{type(self).__name__} needs known spatial sizes; got input shape "
                f"{tuple(inputs.shape)}."
            )
        self._check_sizes(sizes)
        axes = v.spatial_axes(self.rank, self.data_format)
        y = fourier_resample(inputs, self._out_sizes(sizes), axes, self.compute_dtype)
        return ops.cast(y, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        out = self._out_sizes(self._in_sizes(input_shape))
        for axis, n in zip(v.spatial_axes(self.rank, self.data_format), out):
            shape[axis] = n
        return tuple(shape)

    def get_config(self):
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
    """1D Fourier resampling; see :class:`FFTUpSampling` for the arguments.

    Example:

    >>> import numpy as np
    >>> FFTUpSampling1D(target_size=24)(np.ones((2, 16, 3), "float32")).shape
    (2, 24, 3)
    """

    def __init__(self, size=None, target_size=None, data_format=None, **kwargs):
        super().__init__(1, size, target_size, data_format, **kwargs)


@keras.saving.register_keras_serializable(package="kx")
class FFTUpSampling2D(FixedRank, FFTUpSampling):
    """2D Fourier resampling; see :class:`FFTUpSampling` for the arguments.

    Example:

    >>> import numpy as np
    >>> FFTUpSampling2D(size=2)(np.ones((2, 8, 8, 3), "float32")).shape
    (2, 16, 16, 3)
    """

    def __init__(self, size=None, target_size=None, data_format=None, **kwargs):
        super().__init__(2, size, target_size, data_format, **kwargs)


@keras.saving.register_keras_serializable(package="kx")
class FFTUpSampling3D(FixedRank, FFTUpSampling):
    """3D Fourier resampling; see :class:`FFTUpSampling` for the arguments.

    Example:

    >>> import numpy as np
    >>> FFTUpSampling3D(size=2)(np.ones((1, 4, 4, 4, 2), "float32")).shape
    (1, 8, 8, 8, 2)
    """

    def __init__(self, size=None, target_size=None, data_format=None, **kwargs):
        super().__init__(3, size, target_size, data_format, **kwargs)


_CONV_KEYS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "groups",
    "activation",
    "use_bias",
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
)


@keras.saving.register_keras_serializable(package="kx")
class SmoothUpSampling(keras.layers.Layer):
    """Upsampling followed by a convolution that smooths the repeated values.

    ``ConvND(UpSamplingND(x))``: the convolution arguments are those of
    ``keras.layers.ConvND``, ``size`` (and, in 2D, ``interpolation``) those of
    ``keras.layers.UpSamplingND``.

    Use :class:`SmoothUpSampling1D`, :class:`SmoothUpSampling2D` or
    :class:`SmoothUpSampling3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: output channels of the convolution.
        kernel_size: kernel size of the convolution.
        size: upsampling factor, an int or one per spatial axis.
        interpolation: 2D only: ``"nearest"``, ``"bilinear"``, ... (see
            ``keras.layers.UpSampling2D``).
        strides, padding, data_format, dilation_rate, groups, activation,
        use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: as in ``keras.layers.ConvND``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> layer = SmoothUpSampling1D(4, 3, padding="same")
    >>> layer(np.ones((2, 8, 3), "float32")).shape
    (2, 16, 4)
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        size=2,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        interpolation="nearest",
        **kwargs,
    ):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = v.check_rank(rank, owner)
        self.size = v.int_tuple(size, self.rank, "size", owner)
        self.data_format = v.data_format(data_format, owner)
        self.interpolation = interpolation
        if self.rank != 2 and interpolation != "nearest":
            raise ValueError(
                f"{owner}: `interpolation` other than 'nearest' needs 2D; got "
                f"interpolation={interpolation!r}."
            )
        upsampling = {"size": self.size[0] if self.rank == 1 else self.size}
        if self.rank > 1:
            upsampling["data_format"] = self.data_format
        if self.rank == 2:
            upsampling["interpolation"] = interpolation
        try:
            self.upsampling = UPSAMPLING[self.rank](
                dtype=self.dtype_policy, name="upsampling", **upsampling
            )
            self.conv = CONV[self.rank](
                filters=filters,
                kernel_size=kernel_size,
                strides=strides,
                padding=padding,
                data_format=self.data_format,
                dilation_rate=dilation_rate,
                groups=groups,
                activation=activation,
                use_bias=use_bias,
                kernel_initializer=kernel_initializer,
                bias_initializer=bias_initializer,
                kernel_regularizer=kernel_regularizer,
                bias_regularizer=bias_regularizer,
                activity_regularizer=activity_regularizer,
                kernel_constraint=kernel_constraint,
                bias_constraint=bias_constraint,
                dtype=self.dtype_policy,
                name="conv",
            )
        except (ValueError, TypeError) as error:
            raise ValueError(f"{owner}: invalid argument: {error}") from error
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def build(self, input_shape):
        v.input_rank(input_shape, self.rank, type(self).__name__)
        if self.rank == 1 and self.data_format == "channels_first":
            input_shape = (input_shape[0], input_shape[2], input_shape[1])
        self.upsampling.build(input_shape)
        upsampled = self.upsampling.compute_output_shape(input_shape)
        if self.rank == 1 and self.data_format == "channels_first":
            upsampled = (upsampled[0], upsampled[2], upsampled[1])
        self.conv.build(upsampled)

    def _upsample(self, x):
        if self.rank == 1 and self.data_format == "channels_first":
            return ops.moveaxis(self.upsampling(ops.moveaxis(x, 1, -1)), -1, 1)
        return self.upsampling(x)

    def call(self, inputs):
        return self.conv(self._upsample(inputs))

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, f in zip(v.spatial_axes(self.rank, self.data_format), self.size):
            if shape[axis] is not None:
                shape[axis] = shape[axis] * f
        return self.conv.compute_output_shape(tuple(shape))

    def get_config(self):
        config = super().get_config()
        conv = self.conv.get_config()
        config.update({key: conv[key] for key in _CONV_KEYS})
        config.update(
            {
                "rank": self.rank,
                "size": list(self.size),
                "data_format": self.data_format,
                "interpolation": self.interpolation,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class SmoothUpSampling1D(FixedRank, SmoothUpSampling):
    """1D smooth upsampling; see :class:`SmoothUpSampling` for the arguments.

    Example:

    >>> import numpy as np
    >>> SmoothUpSampling1D(4, 3)(np.ones((2, 8, 3), "float32")).shape
    (2, 14, 4)
    """

    def __init__(self, filters, kernel_size, size=2, **kwargs):
        super().__init__(1, filters, kernel_size, size, **kwargs)


@keras.saving.register_keras_serializable(package="kx")
class SmoothUpSampling2D(FixedRank, SmoothUpSampling):
    """2D smooth upsampling; see :class:`SmoothUpSampling` for the arguments.

    Example:

    >>> import numpy as np
    >>> layer = SmoothUpSampling2D(4, 3, padding="same", interpolation="bilinear")
    >>> layer(np.ones((2, 8, 8, 3), "float32")).shape
    (2, 16, 16, 4)
    """

    def __init__(self, filters, kernel_size, size=(2, 2), **kwargs):
        super().__init__(2, filters, kernel_size, size, **kwargs)


@keras.saving.register_keras_serializable(package="kx")
class SmoothUpSampling3D(FixedRank, SmoothUpSampling):
    """3D smooth upsampling; see :class:`SmoothUpSampling` for the arguments.

    Example:

    >>> import numpy as np
    >>> SmoothUpSampling3D(2, 3, padding="same")(np.ones((1, 4, 4, 4, 3))).shape
    (1, 8, 8, 8, 2)
    """

    def __init__(self, filters, kernel_size, size=(2, 2, 2), **kwargs):
        super().__init__(3, filters, kernel_size, size, **kwargs)
