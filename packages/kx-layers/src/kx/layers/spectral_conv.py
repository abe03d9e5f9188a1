"""Spectral convolution of the Fourier Neural Operator (Li et al. 2021)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from kx import ops as kx_ops
from kx.layers._rank import FixedRank
from kx.layers.initializers import get_initializers
from kx.ops import check_modes_fit, checks, fft_dtype
from kx.ops.types import (
    Config,
    DType,
    FloatOrTuple,
    Initializer,
    IntOrTuple,
    Pair,
    Shape,
    Tensor,
)

__all__ = ["SpectralConv", "SpectralConv1D", "SpectralConv2D", "SpectralConv3D"]

_LETTERS = "xyz"


@keras.saving.register_keras_serializable(package="kx")
class SpectralConv(keras.layers.Layer):
    """N-d spectral convolution: mix channels per kept Fourier mode.

    ``y = irfftn(P(W * truncate(rfftn(x)))) + b``: the real FFT over the spatial
    axes, the lowest ``modes`` kept (``modes`` of each sign on every spatial axis but
    the last, the ``modes`` lowest on the last, as in Li et al. 2021), a complex
    weight ``W[k] = W_re[k] + i W_im[k]`` of shape ``(in_channels, filters)`` per kept
    mode ``k``, zero padding ``P`` back to the full spectrum, the inverse FFT to the
    input's own spatial size (or, with ``output_scaling_factor``, to
    ``round(factor * size)`` per spatial axis: the output sampled on a finer or
    coarser grid of the same periodic domain), and a real bias vector ``b`` of
    shape ``(filters,)``.
    The weights do not depend on the spatial size, so a layer built at one
    resolution runs at any other. The FFT runs in float32 (float64 under a float64
    policy); the output is in the compute dtype.

    Use :class:`SpectralConv1D`, :class:`SpectralConv2D` or
    :class:`SpectralConv3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: number of output channels.
        modes: int, or one int per spatial axis: Fourier modes kept.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None`` (the
            Keras image data format).
        use_bias: whether to add the ``(filters,)`` bias.
        kernel_initializer: initializer of both weight parts, or a
            ``(real, imaginary)`` pair of initializers.
        bias_initializer: initializer of the bias.
        kernel_regularizer: regularizer of each weight part.
        bias_regularizer: regularizer of the bias.
        kernel_constraint: constraint of each weight part.
        bias_constraint: constraint of the bias.
        output_scaling_factor: ``None`` (output at the input size), a positive
            number, or one per spatial axis: the output spatial size is
            ``round(factor * input size)``. The output stays band-limited to the
            kept modes, so it is the same layer evaluated on the resampled grid.
        factorization: ``None`` (a dense complex weight, ``real_kernel`` and
            ``imag_kernel``), ``"tucker"`` or ``"cp"``: the complex weight of
            shape ``(*kept, in_channels, filters)`` stored as a Tucker core and
            factor matrices or as CP weights and factors (the tensorized FNO of
            Kossaifi et al.), rebuilt by :func:`kx.ops.tucker_to_tensor` or
            :func:`kx.ops.cp_to_tensor` at every call.
        factorization_rank: with a factorization, a positive float, the fraction
            of the dense weight's parameters to keep (resolved as tensorly and
            neuraloperator's TFNO do: :func:`kx.ops.tucker_rank`,
            :func:`kx.ops.cp_rank`), or a positive int (the Tucker rank of every
            mode, or the CP rank). Named so because ``rank`` is the number of
            spatial axes. Default ``0.1``, TFNO's.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, in_channels)``
            (``channels_last``) or ``(batch, in_channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> layer = SpectralConv1D(filters=4, modes=3)
    >>> y = layer(np.zeros((2, 16, 5), "float32"))
    >>> tuple(y.shape)
    (2, 16, 4)
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        modes: IntOrTuple,
        data_format: str | None = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = checks.check_rank(rank, owner)
        self.filters = checks.positive_int(filters, "filters", owner)
        self.modes = checks.int_tuple(modes, self.rank, "modes", owner)
        self.output_scaling_factor = checks.scaling_factors(
            output_scaling_factor, self.rank, "output_scaling_factor", owner
        )
        self.data_format = checks.data_format(data_format, owner)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = get_initializers(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        self.factorization = checks.optional(
            checks.one_of, factorization, "factorization", ("tucker", "cp"), owner
        )
        self.factorization_rank = checks.factorization_rank(factorization_rank, owner)
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    @property
    def _spatial_axes(self):
        return checks.spatial_axes(self.rank, self.data_format)

    def _kernel_shape(self, in_channels):
        kept = tuple(2 * m for m in self.modes[:-1]) + (self.modes[-1],)
        return (*kept, in_channels, self.filters)

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        checks.input_rank(input_shape, self.rank, owner)
        in_channels = checks.known_channels(input_shape, self.data_format, owner)
        spatial = [input_shape[a] for a in self._spatial_axes]
        check_modes_fit(spatial, self.modes, owner)
        check_modes_fit(self.output_sizes(spatial), self.modes, owner)
        shape = self._kernel_shape(in_channels)
        if self.factorization == "tucker":
            self._build_tucker(shape)
        elif self.factorization == "cp":
            self._build_cp(shape)
        else:
            self.real_kernel, self.imag_kernel = self._complex_weight(
                "kernel", shape, self.kernel_initializer
            )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        channel = checks.channel_axis(self.data_format) % (self.rank + 2)
        self.input_spec = keras.layers.InputSpec(
            ndim=self.rank + 2, axes={channel: in_channels}
        )

    def _complex_weight(self, name, shape, initializers):
        return tuple(
            self.add_weight(
                name=f"{part}_{name}",
                shape=shape,
                initializer=initializer,
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
                autocast=False,
            )
            for part, initializer in zip(("real", "imag"), initializers)
        )

    def _build_tucker(self, shape):
        ranks = kx_ops.tucker_rank(shape, self.factorization_rank)
        # the core takes kernel_initializer; factors start near orthonormal
        # columns (each part orthogonal, scaled by 1/sqrt(2)), so the rebuilt
        # weight keeps the core's scale
        self.core = self._complex_weight("core", ranks, self.kernel_initializer)
        orthogonal = keras.initializers.Orthogonal(gain=0.5**0.5)
        self.factors = [
            self._complex_weight(f"factor_{k}", (size, r), (orthogonal, orthogonal))
            for k, (size, r) in enumerate(zip(shape, ranks))
        ]

    def _build_cp(self, shape):
        r = kx_ops.cp_rank(shape, self.factorization_rank)
        ones, zeros = keras.initializers.Ones(), keras.initializers.Zeros()
        self.core = self._complex_weight("weights", (r,), (ones, zeros))
        # E|W|^2 = r t^K for factor entries with E|u|^2 = t: match the dense
        # lecun_normal variance 1 / fan_in on each part
        fan_in = math.prod(shape[:-1])
        t = (2.0 / (fan_in * r)) ** (1.0 / len(shape))
        normal = keras.initializers.RandomNormal(stddev=(t / 2) ** 0.5)
        self.factors = [
            self._complex_weight(f"factor_{k}", (size, r), (normal, normal))
            for k, size in enumerate(shape)
        ]

    def complex_kernel(self, dtype: DType = None) -> Pair:
        """The ``(real, imag)`` weight ``(*kept, in_channels, filters)``.

        The dense weight, or the one rebuilt from its Tucker or CP factors, in
        ``dtype`` (default: the FFT dtype of the compute dtype).
        """
        dtype = dtype or fft_dtype(self.compute_dtype)

        def cast(pair):
            return tuple(ops.cast(part, dtype) for part in pair)

        if self.factorization is None:
            return cast((self.real_kernel, self.imag_kernel))
        factors = [cast(pair) for pair in self.factors]
        if self.factorization == "tucker":
            return kx_ops.tucker_to_tensor(cast(self.core), factors)
        return kx_ops.cp_to_tensor(cast(self.core), factors)

    def output_sizes(
        self, sizes: Sequence[int | None]
    ) -> tuple[int | Tensor | None, ...]:
        """The output spatial sizes for input ``sizes`` (ints, None or tensors)."""
        factors = self.output_scaling_factor or (None,) * self.rank
        return tuple(checks.scaled_size(n, f) for n, f in zip(sizes, factors))

    def _spectral(self, inputs):
        """The spectral path without bias, in the FFT dtype.

        With static spatial sizes and few modes (``kx.ops.dft_is_cheaper``), the
        kept modes are computed as matrix products over the spatial axes where
        they are (1.5x to 2.1x faster train steps than the FFT at the benchmark
        sizes, benchmarks/results/layers.md). Otherwise by FFT, with channels
        moved first: XLA and pocketfft transform contiguous trailing axes several
        times faster than strided inner ones, which outweighs the two transposes.
        """
        dtype = fft_dtype(self.compute_dtype)
        x = ops.cast(inputs, dtype)
        owner = type(self).__name__
        shape = ops.shape(x)
        sizes = tuple(shape[a] for a in self._spatial_axes)
        out_sizes = self.output_sizes(sizes)
        check_modes_fit(sizes, self.modes, owner)
        check_modes_fit(out_sizes, self.modes, owner)
        space = _LETTERS[: self.rank]
        # (channels first, or matrix products: over the spatial axes as they are;
        # "auto" also lets the inverse choose by the output sizes)
        move = self.data_format == "channels_last" and not kx_ops.dft_is_cheaper(
            sizes, self.modes
        )
        method = "fft" if move else "auto"
        if move:
            x = ops.moveaxis(x, -1, 1)
        axes = tuple(range(2, self.rank + 2)) if move else self._spatial_axes
        if axes[0] == 1:  # channels last
            subscripts = f"b{space}i,{space}io->b{space}o"
        else:
            subscripts = f"bi{space},{space}io->bo{space}"
        # "forward": the spectrum holds amplitudes, so the inverse transform to
        # another size (output_scaling_factor) samples the same function
        z = kx_ops.truncated_rfftn(x, self.modes, axes, norm="forward", method=method)
        z = kx_ops.complex_einsum(subscripts, z, self.complex_kernel(dtype))
        y = kx_ops.padded_irfftn(
            z, out_sizes, self.modes, axes, norm="forward", method=method
        )
        return ops.moveaxis(y, 1, -1) if move else y

    def _add_bias(self, outputs):
        if self.bias is None:
            return outputs
        shape = [1] * (self.rank + 2)
        shape[checks.channel_axis(self.data_format)] = self.filters
        return ops.add(outputs, ops.reshape(ops.cast(self.bias, outputs.dtype), shape))

    def call(self, inputs: Tensor) -> Tensor:
        outputs = ops.cast(self._spectral(inputs), self.compute_dtype)
        return self._add_bias(outputs)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        shape = list(input_shape)
        shape[checks.channel_axis(self.data_format)] = self.filters
        axes = self._spatial_axes
        for axis, n in zip(axes, self.output_sizes([shape[a] for a in axes])):
            shape[axis] = n
        return tuple(shape)

    def get_config(self) -> Config:
        config = super().get_config()
        real, imag = self.kernel_initializer
        kernel_initializer = keras.initializers.serialize(real)
        if imag is not real:
            kernel_initializer = [
                kernel_initializer,
                keras.initializers.serialize(imag),
            ]
        config.update(
            {
                "rank": self.rank,
                "filters": self.filters,
                "modes": list(self.modes),
                "data_format": self.data_format,
                "use_bias": self.use_bias,
                "kernel_initializer": kernel_initializer,
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
                "kernel_regularizer": keras.regularizers.serialize(
                    self.kernel_regularizer
                ),
                "bias_regularizer": keras.regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": keras.constraints.serialize(
                    self.kernel_constraint
                ),
                "bias_constraint": keras.constraints.serialize(self.bias_constraint),
                "output_scaling_factor": None
                if self.output_scaling_factor is None
                else list(self.output_scaling_factor),
                "factorization": self.factorization,
                "factorization_rank": list(self.factorization_rank)
                if isinstance(self.factorization_rank, tuple)
                else self.factorization_rank,
            }
        )
        return config

    @classmethod
    def from_config(cls, config: Config) -> SpectralConv:
        config = dict(config)
        init = config.get("kernel_initializer")
        if isinstance(init, list):
            config["kernel_initializer"] = tuple(init)
        return cls(**config)


@keras.saving.register_keras_serializable(package="kx")
class SpectralConv1D(FixedRank, SpectralConv):
    """1D spectral convolution; the N-d :class:`SpectralConv` with ``rank=1``.

    Args:
        filters: number of output channels.
        modes: int, or one int per spatial axis: Fourier modes kept.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None`` (the
            Keras image data format).
        use_bias: whether to add the ``(filters,)`` bias.
        kernel_initializer: initializer of both weight parts, or a
            ``(real, imaginary)`` pair of initializers.
        bias_initializer: initializer of the bias.
        kernel_regularizer: regularizer of each weight part.
        bias_regularizer: regularizer of the bias.
        kernel_constraint: constraint of each weight part.
        bias_constraint: constraint of the bias.
        output_scaling_factor: ``None`` (output at the input size), a positive
            number, or one per spatial axis: the output spatial size is
            ``round(factor * input size)``. The output stays band-limited to the
            kept modes, so it is the same layer evaluated on the resampled grid.
        factorization: ``None`` (a dense complex weight, ``real_kernel`` and
            ``imag_kernel``), ``"tucker"`` or ``"cp"``: the complex weight of
            shape ``(*kept, in_channels, filters)`` stored as a Tucker core and
            factor matrices or as CP weights and factors (the tensorized FNO of
            Kossaifi et al.), rebuilt by :func:`kx.ops.tucker_to_tensor` or
            :func:`kx.ops.cp_to_tensor` at every call.
        factorization_rank: with a factorization, a positive float, the fraction
            of the dense weight's parameters to keep (resolved as tensorly and
            neuraloperator's TFNO do: :func:`kx.ops.tucker_rank`,
            :func:`kx.ops.cp_rank`), or a positive int (the Tucker rank of every
            mode, or the CP rank). Named so because ``rank`` is the number of
            spatial axes. Default ``0.1``, TFNO's.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, in_channels)``
            (``channels_last``) or ``(batch, in_channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = SpectralConv1D(filters=8, modes=4)(np.ones((1, 32, 3), "float32"))
    >>> tuple(y.shape)
    (1, 32, 8)
    """

    def __init__(
        self,
        filters: int,
        modes: IntOrTuple,
        data_format: str | None = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            filters=filters,
            modes=modes,
            data_format=data_format,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            output_scaling_factor=output_scaling_factor,
            factorization=factorization,
            factorization_rank=factorization_rank,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SpectralConv2D(FixedRank, SpectralConv):
    """2D spectral convolution; the N-d :class:`SpectralConv` with ``rank=2``.

    Args:
        filters: number of output channels.
        modes: int, or one int per spatial axis: Fourier modes kept.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None`` (the
            Keras image data format).
        use_bias: whether to add the ``(filters,)`` bias.
        kernel_initializer: initializer of both weight parts, or a
            ``(real, imaginary)`` pair of initializers.
        bias_initializer: initializer of the bias.
        kernel_regularizer: regularizer of each weight part.
        bias_regularizer: regularizer of the bias.
        kernel_constraint: constraint of each weight part.
        bias_constraint: constraint of the bias.
        output_scaling_factor: ``None`` (output at the input size), a positive
            number, or one per spatial axis: the output spatial size is
            ``round(factor * input size)``. The output stays band-limited to the
            kept modes, so it is the same layer evaluated on the resampled grid.
        factorization: ``None`` (a dense complex weight, ``real_kernel`` and
            ``imag_kernel``), ``"tucker"`` or ``"cp"``: the complex weight of
            shape ``(*kept, in_channels, filters)`` stored as a Tucker core and
            factor matrices or as CP weights and factors (the tensorized FNO of
            Kossaifi et al.), rebuilt by :func:`kx.ops.tucker_to_tensor` or
            :func:`kx.ops.cp_to_tensor` at every call.
        factorization_rank: with a factorization, a positive float, the fraction
            of the dense weight's parameters to keep (resolved as tensorly and
            neuraloperator's TFNO do: :func:`kx.ops.tucker_rank`,
            :func:`kx.ops.cp_rank`), or a positive int (the Tucker rank of every
            mode, or the CP rank). Named so because ``rank`` is the number of
            spatial axes. Default ``0.1``, TFNO's.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, in_channels)``
            (``channels_last``) or ``(batch, in_channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = SpectralConv2D(filters=8, modes=4)(np.ones((1, 16, 16, 3), "float32"))
    >>> tuple(y.shape)
    (1, 16, 16, 8)
    """

    def __init__(
        self,
        filters: int,
        modes: IntOrTuple,
        data_format: str | None = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            filters=filters,
            modes=modes,
            data_format=data_format,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            output_scaling_factor=output_scaling_factor,
            factorization=factorization,
            factorization_rank=factorization_rank,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class SpectralConv3D(FixedRank, SpectralConv):
    """3D spectral convolution; the N-d :class:`SpectralConv` with ``rank=3``.

    Args:
        filters: number of output channels.
        modes: int, or one int per spatial axis: Fourier modes kept.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None`` (the
            Keras image data format).
        use_bias: whether to add the ``(filters,)`` bias.
        kernel_initializer: initializer of both weight parts, or a
            ``(real, imaginary)`` pair of initializers.
        bias_initializer: initializer of the bias.
        kernel_regularizer: regularizer of each weight part.
        bias_regularizer: regularizer of the bias.
        kernel_constraint: constraint of each weight part.
        bias_constraint: constraint of the bias.
        output_scaling_factor: ``None`` (output at the input size), a positive
            number, or one per spatial axis: the output spatial size is
            ``round(factor * input size)``. The output stays band-limited to the
            kept modes, so it is the same layer evaluated on the resampled grid.
        factorization: ``None`` (a dense complex weight, ``real_kernel`` and
            ``imag_kernel``), ``"tucker"`` or ``"cp"``: the complex weight of
            shape ``(*kept, in_channels, filters)`` stored as a Tucker core and
            factor matrices or as CP weights and factors (the tensorized FNO of
            Kossaifi et al.), rebuilt by :func:`kx.ops.tucker_to_tensor` or
            :func:`kx.ops.cp_to_tensor` at every call.
        factorization_rank: with a factorization, a positive float, the fraction
            of the dense weight's parameters to keep (resolved as tensorly and
            neuraloperator's TFNO do: :func:`kx.ops.tucker_rank`,
            :func:`kx.ops.cp_rank`), or a positive int (the Tucker rank of every
            mode, or the CP rank). Named so because ``rank`` is the number of
            spatial axes. Default ``0.1``, TFNO's.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, in_channels)``
            (``channels_last``) or ``(batch, in_channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = SpectralConv3D(filters=2, modes=2)(np.ones((1, 8, 8, 8, 3), "float32"))
    >>> tuple(y.shape)
    (1, 8, 8, 8, 2)
    """

    def __init__(
        self,
        filters: int,
        modes: IntOrTuple,
        data_format: str | None = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            3,
            filters=filters,
            modes=modes,
            data_format=data_format,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            output_scaling_factor=output_scaling_factor,
            factorization=factorization,
            factorization_rank=factorization_rank,
            **kwargs,
        )
