"""Fourier Neural Operator layers (Li et al. 2021): spectral path + 1x1 path."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from kx.layers._rank import FixedRank
from kx.layers.initializers import get_initializers
from kx.layers.spectral_conv import SpectralConv
from kx.ops import checks, fast_activation, fourier_resample
from kx.ops.types import (
    Activation,
    Config,
    FloatOrTuple,
    Initializer,
    IntOrTuple,
    Layer,
    Shape,
    Tensor,
)

__all__ = ["FNO", "FNO1D", "FNO2D", "FNO3D"]


@keras.saving.register_keras_serializable(package="kx")
class FNO(keras.layers.Layer):
    """N-d Fourier layer: ``activation(merge(SpectralConv(x), Conv1x1(x)))``.

    The spectral path is a :class:`SpectralConv` (kept Fourier modes mixed by
    complex weights, plus a real bias); the bypass path is a 1x1 convolution. Both
    are merged by ``merge_layer`` and passed through ``activation``. The 1x1
    convolution is a channel mix at every point (weights ``bypass_kernel``
    ``(in_channels, filters)`` and ``bypass_bias`` ``(filters,)``). The layer runs
    at any spatial size (resolution independence), so a model trained at one
    resolution can be evaluated at another.

    With ``domain_padding > 0`` the input is zero-padded at the end of every
    spatial axis by ``ceil(domain_padding * size)`` points before both paths and
    the output cropped back: the padding scales with the resolution and removes the
    periodic wrap-around of the FFT for non-periodic inputs.

    With ``output_scaling_factor`` the output is resampled to
    ``round(factor * size)`` points per spatial axis: the spectral path's inverse
    FFT runs at that size and the 1x1 path is Fourier-interpolated to it (see
    :func:`~kx.ops.fourier_resample`), both before the merge and the
    activation. With domain padding the padded grid is resampled and cropped to
    ``round(factor * size)``.

    Use :class:`FNO1D`, :class:`FNO2D` or :class:`FNO3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: number of output channels of each path.
        modes: int, or one int per spatial axis: Fourier modes kept.
        activation: activation applied after the merge (name or callable).
        merge_layer: ``"add"``, ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"``, ``"minimum"``, ``"concatenate"`` (along channels: the
            output has ``2 * filters`` channels) or a keras merge layer.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        use_bias: whether both paths add a bias.
        kernel_initializer: initializer of the spectral weights (or a
            ``(real, imaginary)`` pair) and of the 1x1 kernel (the real one).
        bias_initializer: initializer of both biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        kernel_constraint: constraint of the kernels.
        bias_constraint: constraint of the biases.
        domain_padding: fraction in ``[0, 1]`` of each spatial size zero-padded
            before and cropped after the layer.
        output_scaling_factor: ``None`` (output at the input size), a positive
            number, or one per spatial axis: the output spatial size is
            ``round(factor * input size)``.
        factorization: ``None`` (dense spectral weights), ``"tucker"`` or
            ``"cp"``: the spectral weight factorized as in the tensorized FNO
            (see :class:`SpectralConv`).
        factorization_rank: a positive float (fraction of the dense spectral
            parameters kept) or a positive int (see :class:`SpectralConv`).
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)`` (``channels_last``)
            or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = FNO2D(filters=4, modes=3)(np.ones((1, 12, 12, 2), "float32"))
    >>> tuple(y.shape)
    (1, 12, 12, 4)
    """

    def __init__(
        self,
        rank: int,
        filters: int,
        modes: IntOrTuple,
        activation: Activation = "gelu",
        merge_layer: str | Layer = "add",
        data_format: str | None = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        domain_padding: FloatOrTuple = 0.0,
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
        self.activation = checks.activation(activation, "activation", owner)
        self.data_format = checks.data_format(data_format, owner)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = get_initializers(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)
        if (
            isinstance(domain_padding, bool)
            or not isinstance(domain_padding, int | float)
            or not 0.0 <= domain_padding <= 1.0
        ):
            raise ValueError(
                f"{owner}: `domain_padding` must be a float in [0, 1]; got "
                f"domain_padding={domain_padding!r}."
            )
        self.domain_padding = float(domain_padding)
        self.output_scaling_factor = checks.scaling_factors(
            output_scaling_factor, self.rank, "output_scaling_factor", owner
        )
        self.merge_layer = merge_layer
        self._merge = checks.merge_layer(
            merge_layer, checks.channel_axis(self.data_format), owner, self.dtype_policy
        )
        common = {
            "filters": self.filters,
            "data_format": self.data_format,
            "use_bias": self.use_bias,
            "bias_initializer": self.bias_initializer,
            "kernel_regularizer": self.kernel_regularizer,
            "bias_regularizer": self.bias_regularizer,
            "kernel_constraint": self.kernel_constraint,
            "bias_constraint": self.bias_constraint,
            "dtype": self.dtype_policy,
        }
        self.factorization = checks.optional(
            checks.one_of, factorization, "factorization", ("tucker", "cp"), owner
        )
        self.factorization_rank = checks.factorization_rank(factorization_rank, owner)
        self.spectral_conv = SpectralConv(
            self.rank,
            modes=self.modes,
            factorization=self.factorization,
            factorization_rank=self.factorization_rank,
            kernel_initializer=self.kernel_initializer,
            output_scaling_factor=self.output_scaling_factor,
            name="spectral_conv",
            **common,
        )
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def _padded_shape(self, input_shape):
        shape = list(input_shape)
        for axis in checks.spatial_axes(self.rank, self.data_format):
            if shape[axis] is not None:
                shape[axis] = shape[axis] + self._pad_size(shape[axis])
        return tuple(shape)

    def _pad_size(self, size):
        return math.ceil(self.domain_padding * size)

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        checks.input_rank(input_shape, self.rank, owner)
        in_channels = checks.known_channels(input_shape, self.data_format, owner)
        padded = self._padded_shape(input_shape)
        self.spectral_conv.build(padded)
        self.bypass_kernel = self.add_weight(
            name="bypass_kernel",
            shape=(in_channels, self.filters),
            initializer=self.kernel_initializer[0],
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            self.bypass_bias = self.add_weight(
                name="bypass_bias",
                shape=(self.filters,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bypass_bias = None
        path_shape = self.spectral_conv.compute_output_shape(padded)
        self._merge.build([path_shape, path_shape])
        self.input_spec = self.spectral_conv.input_spec

    def _bypass(self, x):
        """The 1x1 convolution: a channel mix at every point, any data format."""
        space = "xyz"[: self.rank]
        dtype = keras.backend.standardize_dtype(x.dtype)
        kernel = ops.cast(self.bypass_kernel, dtype)
        if self.data_format == "channels_last" and dtype != "float64":
            # one (points, in) x (in, out) matmul, forward and backward (einsum
            # permutes and copies both operands on torch)
            y = ops.matmul(x, kernel)
        else:
            # einsum for float64: keras 3.15's torch matmul/dot/tensordot return
            # float32 for float64 inputs
            if self.data_format == "channels_last":
                subscripts = f"b{space}i,io->b{space}o"
            else:
                subscripts = f"bi{space},io->bo{space}"
            y = ops.einsum(subscripts, x, kernel)
        if self.bypass_bias is None:
            return y
        shape = [1] * (self.rank + 2)
        shape[checks.channel_axis(self.data_format)] = self.filters
        return y + ops.reshape(self.bypass_bias, shape)

    def call(self, inputs: Tensor) -> Tensor:
        x = inputs
        axes = checks.spatial_axes(self.rank, self.data_format)
        sizes = None
        if self.domain_padding > 0:
            shape = ops.shape(x)
            sizes = [shape[a] for a in axes]
            pad = [[0, 0] for _ in range(self.rank + 2)]
            for axis, size in zip(axes, sizes):
                pad[axis][1] = self._pad_size(size)
            x = ops.pad(x, pad)
        bypass = self._bypass(x)
        if self.output_scaling_factor is not None:
            shape = ops.shape(x)
            out_sizes = self.spectral_conv.output_sizes([shape[a] for a in axes])
            bypass = fourier_resample(bypass, out_sizes, axes, self.compute_dtype)
            bypass = ops.cast(bypass, self.compute_dtype)
        outputs = self._merge([self.spectral_conv(x), bypass])
        # Keras's exact gelu is computed faster by kx.ops on XLA (same values)
        outputs = fast_activation(self.activation)(outputs)
        if sizes is not None:
            index = [slice(None)] * (self.rank + 2)
            for axis, size in zip(axes, self.spectral_conv.output_sizes(sizes)):
                index[axis] = slice(0, size)
            outputs = outputs[tuple(index)]
        return outputs

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        path = list(self.spectral_conv.compute_output_shape(input_shape))
        return tuple(self._merge.compute_output_shape([tuple(path), tuple(path)]))

    def get_config(self) -> Config:
        config = super().get_config()
        spectral = self.spectral_conv.get_config()
        for key in (
            "modes",
            "filters",
            "data_format",
            "use_bias",
            "kernel_initializer",
            "bias_initializer",
            "kernel_regularizer",
            "bias_regularizer",
            "kernel_constraint",
            "bias_constraint",
            "factorization",
            "factorization_rank",
        ):
            config[key] = spectral[key]
        config.update(
            {
                "rank": self.rank,
                "activation": keras.activations.serialize(self.activation),
                "merge_layer": checks.serialize_merge_layer(self.merge_layer),
                "domain_padding": self.domain_padding,
                "output_scaling_factor": spectral["output_scaling_factor"],
            }
        )
        return config

    @classmethod
    def from_config(cls, config: Config) -> FNO:
        config = dict(config)
        config["merge_layer"] = checks.deserialize_merge_layer(config["merge_layer"])
        init = config.get("kernel_initializer")
        if isinstance(init, list):
            config["kernel_initializer"] = tuple(init)
        return cls(**config)


@keras.saving.register_keras_serializable(package="kx")
class FNO1D(FixedRank, FNO):
    """1D Fourier layer; the N-d :class:`FNO` with ``rank=1``.

    Args:
        filters: number of output channels of each path.
        modes: int, or one int per spatial axis: Fourier modes kept.
        activation: activation applied after the merge (name or callable).
        merge_layer: ``"add"``, ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"``, ``"minimum"``, ``"concatenate"`` (along channels: the
            output has ``2 * filters`` channels) or a keras merge layer.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        use_bias: whether both paths add a bias.
        kernel_initializer: initializer of the spectral weights (or a
            ``(real, imaginary)`` pair) and of the 1x1 kernel (the real one).
        bias_initializer: initializer of both biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        kernel_constraint: constraint of the kernels.
        bias_constraint: constraint of the biases.
        domain_padding: fraction in ``[0, 1]`` of each spatial size zero-padded
            before and cropped after the layer.
        output_scaling_factor: ``None`` (output at the input size), a positive
            number, or one per spatial axis: the output spatial size is
            ``round(factor * input size)``.
        factorization: ``None`` (dense spectral weights), ``"tucker"`` or
            ``"cp"``: the spectral weight factorized as in the tensorized FNO
            (see :class:`SpectralConv`).
        factorization_rank: a positive float (fraction of the dense spectral
            parameters kept) or a positive int (see :class:`SpectralConv`).
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)`` (``channels_last``)
            or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> layer = FNO1D(filters=8, modes=8)
    >>> layer.build(input_shape=(None, 32, 3))
    >>> y = layer(np.ones((1, 32, 3), "float32"))
    >>> tuple(y.shape)
    (1, 32, 8)
    """

    def __init__(
        self,
        filters: int,
        modes: IntOrTuple,
        activation: Activation = "gelu",
        merge_layer: str | Layer = "add",
        data_format: str | None = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        domain_padding: FloatOrTuple = 0.0,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            filters=filters,
            modes=modes,
            activation=activation,
            merge_layer=merge_layer,
            data_format=data_format,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            domain_padding=domain_padding,
            output_scaling_factor=output_scaling_factor,
            factorization=factorization,
            factorization_rank=factorization_rank,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FNO2D(FixedRank, FNO):
    """2D Fourier layer; the N-d :class:`FNO` with ``rank=2``.

    Args:
        filters: number of output channels of each path.
        modes: int, or one int per spatial axis: Fourier modes kept.
        activation: activation applied after the merge (name or callable).
        merge_layer: ``"add"``, ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"``, ``"minimum"``, ``"concatenate"`` (along channels: the
            output has ``2 * filters`` channels) or a keras merge layer.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        use_bias: whether both paths add a bias.
        kernel_initializer: initializer of the spectral weights (or a
            ``(real, imaginary)`` pair) and of the 1x1 kernel (the real one).
        bias_initializer: initializer of both biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        kernel_constraint: constraint of the kernels.
        bias_constraint: constraint of the biases.
        domain_padding: fraction in ``[0, 1]`` of each spatial size zero-padded
            before and cropped after the layer.
        output_scaling_factor: ``None`` (output at the input size), a positive
            number, or one per spatial axis: the output spatial size is
            ``round(factor * input size)``.
        factorization: ``None`` (dense spectral weights), ``"tucker"`` or
            ``"cp"``: the spectral weight factorized as in the tensorized FNO
            (see :class:`SpectralConv`).
        factorization_rank: a positive float (fraction of the dense spectral
            parameters kept) or a positive int (see :class:`SpectralConv`).
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)`` (``channels_last``)
            or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = FNO2D(filters=8, modes=4)(np.ones((1, 16, 16, 3), "float32"))
    >>> tuple(y.shape)
    (1, 16, 16, 8)
    """

    def __init__(
        self,
        filters: int,
        modes: IntOrTuple,
        activation: Activation = "gelu",
        merge_layer: str | Layer = "add",
        data_format: str | None = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        domain_padding: FloatOrTuple = 0.0,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            filters=filters,
            modes=modes,
            activation=activation,
            merge_layer=merge_layer,
            data_format=data_format,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            domain_padding=domain_padding,
            output_scaling_factor=output_scaling_factor,
            factorization=factorization,
            factorization_rank=factorization_rank,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class FNO3D(FixedRank, FNO):
    """3D Fourier layer; the N-d :class:`FNO` with ``rank=3``.

    Args:
        filters: number of output channels of each path.
        modes: int, or one int per spatial axis: Fourier modes kept.
        activation: activation applied after the merge (name or callable).
        merge_layer: ``"add"``, ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"``, ``"minimum"``, ``"concatenate"`` (along channels: the
            output has ``2 * filters`` channels) or a keras merge layer.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        use_bias: whether both paths add a bias.
        kernel_initializer: initializer of the spectral weights (or a
            ``(real, imaginary)`` pair) and of the 1x1 kernel (the real one).
        bias_initializer: initializer of both biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        kernel_constraint: constraint of the kernels.
        bias_constraint: constraint of the biases.
        domain_padding: fraction in ``[0, 1]`` of each spatial size zero-padded
            before and cropped after the layer.
        output_scaling_factor: ``None`` (output at the input size), a positive
            number, or one per spatial axis: the output spatial size is
            ``round(factor * input size)``.
        factorization: ``None`` (dense spectral weights), ``"tucker"`` or
            ``"cp"``: the spectral weight factorized as in the tensorized FNO
            (see :class:`SpectralConv`).
        factorization_rank: a positive float (fraction of the dense spectral
            parameters kept) or a positive int (see :class:`SpectralConv`).
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)`` (``channels_last``)
            or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = FNO3D(filters=2, modes=2)(np.ones((1, 8, 8, 8, 3), "float32"))
    >>> tuple(y.shape)
    (1, 8, 8, 8, 2)
    """

    def __init__(
        self,
        filters: int,
        modes: IntOrTuple,
        activation: Activation = "gelu",
        merge_layer: str | Layer = "add",
        data_format: str | None = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        domain_padding: FloatOrTuple = 0.0,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            3,
            filters=filters,
            modes=modes,
            activation=activation,
            merge_layer=merge_layer,
            data_format=data_format,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            domain_padding=domain_padding,
            output_scaling_factor=output_scaling_factor,
            factorization=factorization,
            factorization_rank=factorization_rank,
            **kwargs,
        )
