"""NeuralOperator: the Fourier neural operator model (Li et al. 2021), with the
features of neuraloperator's ``FNO`` and the tensorized weights of its ``TFNO``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from kx.blocks._common import (
    WEIGHT_OPTIONS_WITH_CONSTRAINTS,
    weight_config,
    weight_options,
)
from kx.layers import GridEmbedding, SpectralConv
from kx.ops import checks, fourier_resample
from kx.ops.types import (
    Activation,
    Config,
    FloatOrTuple,
    Initializer,
    IntOrTuple,
    Shape,
    Tensor,
)

__all__ = [
    "NeuralOperator",
    "NeuralOperator1D",
    "NeuralOperator2D",
    "NeuralOperator3D",
]

SKIPS = ("linear", "identity", "soft-gating")
NORMALIZATIONS = ("group_norm", "instance_norm", "batch_norm")
MERGES = ("add", "subtract", "multiply", "average", "maximum", "minimum")
# the config entries taken from the last spectral layer's config
_SPECTRAL_CONFIG = ("output_scaling_factor", "factorization", "factorization_rank")


def _merge(name, a, b):
    if name == "add":
        return a + b
    if name == "subtract":
        return a - b
    if name == "multiply":
        return a * b
    if name == "average":
        return (a + b) * 0.5
    if name == "maximum":
        return ops.maximum(a, b)
    return ops.minimum(a, b)


def _levels(filters, modes, rank, owner):
    """Per-block filters and modes tuples: lists set the depth."""
    if isinstance(filters, list | tuple):
        if not filters:
            checks.fail(owner, "filters", filters, "a positive int or a non-empty list")
        filters = [checks.positive_int(f, "filters", owner) for f in filters]
    else:
        filters = [checks.positive_int(filters, "filters", owner)]
    if isinstance(modes, list):
        if not modes:
            checks.fail(owner, "modes", modes, "an int, a tuple or a non-empty list")
        if len(filters) == 1:
            filters = filters * len(modes)
        if len(modes) != len(filters):
            longer = "longer than" if len(modes) > len(filters) else "shorter than"
            checks.fail(
                owner,
                "modes",
                modes,
                f"one entry per block ({len(filters)}, the length of `filters`), "
                f"not {longer} `filters`",
            )
        modes = [checks.int_tuple(m, rank, "modes", owner) for m in modes]
    else:
        modes = [checks.int_tuple(modes, rank, "modes", owner)] * len(filters)
    return filters, modes


def _ratio(value, name, owner):
    return checks.number(value, name, owner, 0.0)


def _padding(value, rank, owner):
    accepted = f"a float in [0, 1] or {rank} of them"
    items = value if isinstance(value, list | tuple) else [value] * rank
    if len(items) != rank:
        checks.fail(owner, "domain_padding", value, accepted)
    try:
        return tuple(checks.number(p, "domain_padding", owner, 0.0, 1.0) for p in items)
    except ValueError:
        checks.fail(owner, "domain_padding", value, accepted)


def _pad_width(size, fraction):
    """``round(fraction * size)`` for an int or a traced scalar size."""
    if isinstance(size, int):
        return int(round(fraction * size))
    return ops.cast(ops.round(fraction * ops.cast(size, "float32")), "int32")


@keras.saving.register_keras_serializable(package="kx")
class NeuralOperator(keras.Model):
    """N-d Fourier neural operator: lifting, Fourier blocks, projection.

    The model of Li et al. (2021) with the options of neuraloperator's ``FNO``:

    1. ``positional_embedding="grid"`` appends the coordinates of every point
       (:class:`kx.layers.GridEmbedding`, the unit periodic grid).
    2. With ``input_projection_dimension``, a channel MLP lifts the input to that
       width (a hidden layer of ``lifting_channel_ratio`` times it; ratio 0: one
       linear map).
    3. ``domain_padding``: zero padding of ``round(p * size)`` points at both ends
       of each spatial axis, cropped after the blocks.
    4. One block per entry of ``filters``: ``y = merge(norm(SpectralConv(x)),
       skip(x))``, the activation, then a channel MLP (hidden width
       ``channel_mlp_expansion`` times the block's, the activation between its two
       linear maps) added to ``channel_mlp_skip(x)``, a second norm and the
       activation. The last block has no activation (as in neuraloperator).
       Without a channel MLP and norms a block is Li et al.'s layer
       ``activation(SpectralConv(x) + skip(x))``, with one activation:
       neuraloperator 2.0 applies its activation twice there. The
       skips are ``"linear"`` (a 1x1 map without bias), ``"identity"``,
       ``"soft-gating"`` (a per-channel weight, starting at 1) or ``None``.
    5. With ``output_projection_dimension``, a channel MLP projects to that many
       output channels (hidden width ``projection_channel_ratio`` times the last
       block's).

    No weight depends on the spatial size, so the spatial dims may be ``None``
    and a model trained at one resolution evaluates at another (zero-shot
    super-resolution). With ``output_scaling_factor`` the last block outputs
    ``round(factor * size)`` points per axis (its skips Fourier-resampled).
    ``factorization="tucker"`` or ``"cp"`` factorizes every spectral weight (the
    TFNO of Kossaifi et al.); see :class:`kx.layers.SpectralConv`.

    At ``filters=[w] * n, modes=m, input_projection_dimension=w,
    output_projection_dimension=c`` and the defaults, the parameters are those of
    neuraloperator's ``FNO(n_modes, in_channels, c, hidden_channels=w,
    n_layers=n)`` with ``n_modes = 2 * (m - 1)`` on the last axis and ``2 * m`` on
    the others (kx keeps ``m`` modes of each sign, neuraloperator ``n // 2``).

    Use :class:`NeuralOperator1D`, :class:`NeuralOperator2D` or
    :class:`NeuralOperator3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        filters: width of each block: an int (one block, or one per entry of a
            ``modes`` list) or a non-empty list (its length sets the depth).
        modes: Fourier modes kept per block: an int or a tuple (one per spatial
            axis) for every block, or a list with one of them per block.
        input_projection_dimension: width of the lifting channel MLP's output;
            ``None``: no lifting (the first block maps the input channels).
        output_projection_dimension: output channels of the projection channel
            MLP; ``None``: no projection (``filters[-1]`` output channels).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        merge_layer: how a block merges its spectral path and ``fno_skip``:
            ``"add"``, ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"`` or ``"minimum"``.
        activation: activation (name or callable) of the blocks and MLPs.
        use_bias: whether the spectral convolutions and MLP layers add biases.
        lifting_channel_ratio: hidden width of the lifting MLP over its output
            width, a number >= 0 (0: a single linear map).
        projection_channel_ratio: hidden width of the projection MLP over
            ``filters[-1]``, a number >= 0 (0: a single linear map).
        positional_embedding: ``"grid"`` or ``None``.
        domain_padding: fraction in ``[0, 1]`` (or one per spatial axis) padded at
            both ends of each axis.
        use_channel_mlp: whether each block has its channel MLP.
        channel_mlp_expansion: hidden width of the blocks' channel MLPs over the
            block width, a positive number (rounded).
        fno_skip: ``"linear"``, ``"identity"``, ``"soft-gating"`` or ``None``.
        channel_mlp_skip: ``"linear"``, ``"identity"``, ``"soft-gating"`` or
            ``None``.
        normalization: ``None``, ``"group_norm"`` (one group, affine),
            ``"instance_norm"`` (per channel, no weights) or ``"batch_norm"``;
            two per block.
        output_scaling_factor: ``None``, a positive number or one per spatial
            axis: the output has ``round(factor * size)`` points per axis.
        factorization: ``None``, ``"tucker"`` or ``"cp"``: the spectral weights'
            factorization.
        factorization_rank: a positive float (fraction of the dense spectral
            parameters kept, as in TFNO; default 0.1) or a positive int.
        kernel_initializer: initializer of the spectral weights and the MLP and
            linear-skip kernels.
        bias_initializer: initializer of the biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        kernel_constraint: constraint of the kernels.
        bias_constraint: constraint of the biases.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.
        training: whether batch normalization runs in training mode.

    Example:

    >>> import numpy as np
    >>> model = NeuralOperator1D(filters=[8, 8], modes=4,
    ...     input_projection_dimension=8, output_projection_dimension=1)
    >>> tuple(model(np.zeros((2, 32, 1), "float32")).shape)
    (2, 32, 1)
    >>> tuple(model(np.zeros((2, 64, 1), "float32")).shape)
    (2, 64, 1)
    """

    def __init__(
        self,
        rank: int,
        filters: int | Sequence[int],
        modes: IntOrTuple | list[IntOrTuple],
        input_projection_dimension: int | None = None,
        output_projection_dimension: int | None = None,
        data_format: str | None = None,
        merge_layer: str = "add",
        activation: Activation = "gelu",
        use_bias: bool = True,
        lifting_channel_ratio: float = 2,
        projection_channel_ratio: float = 2,
        positional_embedding: str | None = "grid",
        domain_padding: FloatOrTuple = 0.0,
        use_channel_mlp: bool = True,
        channel_mlp_expansion: float = 0.5,
        fno_skip: str | None = "linear",
        channel_mlp_skip: str | None = "soft-gating",
        normalization: str | None = None,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = checks.check_rank(rank, owner)
        self.filters, self.modes = _levels(filters, modes, self.rank, owner)
        self.input_projection_dimension = checks.optional(
            checks.positive_int,
            input_projection_dimension,
            "input_projection_dimension",
            owner,
        )
        self.output_projection_dimension = checks.optional(
            checks.positive_int,
            output_projection_dimension,
            "output_projection_dimension",
            owner,
        )
        self.data_format = checks.data_format(data_format, owner)
        self.merge_layer = checks.one_of(merge_layer, "merge_layer", MERGES, owner)
        self.activation = checks.activation(activation, "activation", owner)
        self.use_bias = checks.boolean(use_bias, "use_bias", owner)
        self.lifting_channel_ratio = _ratio(
            lifting_channel_ratio, "lifting_channel_ratio", owner
        )
        self.projection_channel_ratio = _ratio(
            projection_channel_ratio, "projection_channel_ratio", owner
        )
        self.positional_embedding = checks.optional(
            checks.one_of,
            positional_embedding,
            "positional_embedding",
            ("grid",),
            owner,
        )
        self.domain_padding = _padding(domain_padding, self.rank, owner)
        self.use_channel_mlp = checks.boolean(use_channel_mlp, "use_channel_mlp", owner)
        self.channel_mlp_expansion = checks.number(
            channel_mlp_expansion, "channel_mlp_expansion", owner, 0.0, low_open=True
        )
        self.fno_skip = checks.optional(
            checks.one_of, fno_skip, "fno_skip", SKIPS, owner
        )
        self.channel_mlp_skip = checks.optional(
            checks.one_of, channel_mlp_skip, "channel_mlp_skip", SKIPS, owner
        )
        # neuraloperator's channel-MLP skip exists only with the channel MLP
        self._mlp_skip_kind = self.channel_mlp_skip if self.use_channel_mlp else None
        self.normalization = checks.optional(
            checks.one_of, normalization, "normalization", NORMALIZATIONS, owner
        )
        self.factorization = checks.optional(
            checks.one_of, factorization, "factorization", ("tucker", "cp"), owner
        )
        self.factorization_rank = checks.factorization_rank(factorization_rank, owner)
        weight_options(
            self,
            **dict(
                zip(
                    WEIGHT_OPTIONS_WITH_CONSTRAINTS,
                    (
                        kernel_initializer,
                        bias_initializer,
                        kernel_regularizer,
                        bias_regularizer,
                        kernel_constraint,
                        bias_constraint,
                    ),
                )
            ),
        )
        # the spectral layers check output_scaling_factor (only the last scales)
        self.spectral_convs = [
            SpectralConv(
                self.rank,
                filters=f,
                modes=m,
                data_format="channels_last",
                use_bias=self.use_bias,
                output_scaling_factor=output_scaling_factor
                if i == len(self.filters) - 1
                else None,
                factorization=self.factorization,
                factorization_rank=self.factorization_rank,
                name=f"spectral_conv_{i}",
                dtype=self.dtype_policy,
                **weight_config(self, *WEIGHT_OPTIONS_WITH_CONSTRAINTS),
            )
            for i, (f, m) in enumerate(zip(self.filters, self.modes))
        ]
        self.output_scaling_factor = self.spectral_convs[-1].output_scaling_factor
        self.grid = (
            GridEmbedding(self.rank, data_format="channels_last", name="grid")
            if self.positional_embedding == "grid"
            else None
        )
        self.lifting = (
            self._mlp(
                "lifting",
                self.input_projection_dimension,
                self.lifting_channel_ratio * self.input_projection_dimension,
            )
            if self.input_projection_dimension
            else []
        )
        self.projection = (
            self._mlp(
                "projection",
                self.output_projection_dimension,
                self.projection_channel_ratio * self.filters[-1],
            )
            if self.output_projection_dimension
            else []
        )
        self.fno_skips, self.mlp_skips, self.mlps, self.norms = [], [], [], []
        for i, f in enumerate(self.filters):
            self.fno_skips.append(self._linear(f"fno_skip_{i}", f, self.fno_skip))
            self.mlp_skips.append(
                self._linear(f"channel_mlp_skip_{i}", f, self._mlp_skip_kind)
            )
            self.mlps.append(
                self._mlp(f"channel_mlp_{i}", f, round(f * self.channel_mlp_expansion))
                if self.use_channel_mlp
                else []
            )
            self.norms.append(
                [self._norm(f"norm_{i}_{j}") for j in range(2)]
                if self.normalization
                else []
            )

    def _dense(self, name, units, activation=None, use_bias=None):
        return keras.layers.Dense(
            units,
            activation=activation,
            use_bias=self.use_bias if use_bias is None else use_bias,
            name=name,
            dtype=self.dtype_policy,
            **weight_config(self, *WEIGHT_OPTIONS_WITH_CONSTRAINTS),
        )

    def _mlp(self, name, units, hidden):
        hidden = int(hidden)
        if hidden <= 0:
            return [self._dense(f"{name}_0", units)]
        return [
            self._dense(f"{name}_0", hidden, activation=self.activation),
            self._dense(f"{name}_1", units),
        ]

    def _linear(self, name, units, kind):
        # soft-gating weights are added in build, once the width is known
        return self._dense(name, units, use_bias=False) if kind == "linear" else None

    def _norm(self, name):
        if self.normalization == "group_norm":
            return keras.layers.GroupNormalization(
                groups=1, name=name, dtype=self.dtype_policy
            )
        if self.normalization == "instance_norm":
            return keras.layers.GroupNormalization(
                groups=-1, center=False, scale=False, name=name, dtype=self.dtype_policy
            )
        return keras.layers.BatchNormalization(name=name, dtype=self.dtype_policy)

    def _channels_last(self, shape):
        shape = tuple(shape)
        if self.data_format == "channels_first":
            return (shape[0], *shape[2:], shape[1])
        return shape

    def _padded(self, shape):
        shape = list(shape)
        for k, p in enumerate(self.domain_padding):
            n = shape[1 + k]
            if n is not None:
                shape[1 + k] = n + 2 * _pad_width(n, p)
        return tuple(shape)

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        if len(input_shape) != self.rank + 2:
            checks.fail(
                owner,
                "input_shape",
                tuple(input_shape),
                f"a shape of rank {self.rank + 2} (batch, {self.rank} spatial axes "
                f"and channels), as the model has rank={self.rank}",
            )
        shape = self._channels_last(input_shape)
        if shape[-1] is None:
            checks.fail(owner, "input_shape", tuple(input_shape), "known channels")
        if self.grid is not None:
            self.grid.build(shape)
            shape = self.grid.compute_output_shape(shape)
        shape = self._build_chain(self.lifting, shape)
        shape = self._padded(shape)
        # the soft-gating weights of each block (None for the other skips)
        self.fno_gates: list[Tensor | None] = []
        self.mlp_gates: list[Tensor | None] = []
        for i, conv in enumerate(self.spectral_convs):
            channels = shape[-1]
            for kind, name, gates in (
                (self.fno_skip, "fno_skip", self.fno_gates),
                (self._mlp_skip_kind, "channel_mlp_skip", self.mlp_gates),
            ):
                if kind in ("identity", "soft-gating") and channels != conv.filters:
                    checks.fail(
                        owner,
                        name,
                        kind,
                        f"'linear' or None where block {i} changes the width "
                        f"({channels} -> {conv.filters})",
                    )
                gates.append(
                    self.add_weight(
                        name=f"{name}_{i}_gate", shape=(channels,), initializer="ones"
                    )
                    if kind == "soft-gating"
                    else None
                )
            conv.build(shape)
            out = conv.compute_output_shape(shape)
            for layer in (self.fno_skips[i], self.mlp_skips[i]):
                if layer is not None:
                    layer.build(shape)
            for norm in self.norms[i]:
                norm.build(out)
            self._build_chain(self.mlps[i], out)
            shape = out
        self._build_chain(self.projection, shape)

    @staticmethod
    def _build_chain(layers, shape):
        for layer in layers:
            layer.build(shape)
            shape = layer.compute_output_shape(shape)
        return shape

    def _skip(self, kind, layer, gate, x, out_sizes):
        if kind is None:
            return None
        if kind == "linear":
            y = layer(x)
        elif kind == "soft-gating":
            y = x * ops.cast(gate, x.dtype)
        else:
            y = x
        if out_sizes is not None:
            axes = tuple(range(1, self.rank + 1))
            y = ops.cast(
                fourier_resample(y, out_sizes, axes, self.compute_dtype), x.dtype
            )
        return y

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        x = inputs
        if self.data_format == "channels_first":
            x = ops.moveaxis(x, 1, -1)
        if self.grid is not None:
            x = self.grid(x)
        for layer in self.lifting:
            x = layer(x)
        shape = ops.shape(x)
        sizes = [shape[1 + k] for k in range(self.rank)]
        pads = [_pad_width(n, p) for n, p in zip(sizes, self.domain_padding)]
        padded = any(not isinstance(p, int) or p > 0 for p in pads)
        if padded:
            x = ops.pad(x, [[0, 0], *([p, p] for p in pads), [0, 0]])
        last = len(self.filters) - 1
        for i, conv in enumerate(self.spectral_convs):
            out_sizes = None
            if i == last and self.output_scaling_factor is not None:
                shape = ops.shape(x)
                out_sizes = conv.output_sizes([shape[1 + k] for k in range(self.rank)])
            fno_skip = self._skip(
                self.fno_skip, self.fno_skips[i], self.fno_gates[i], x, out_sizes
            )
            mlp_skip = self._skip(
                self._mlp_skip_kind, self.mlp_skips[i], self.mlp_gates[i], x, out_sizes
            )
            y = conv(x)
            if self.norms[i]:
                y = self.norms[i][0](y, training=training)
            if fno_skip is not None:
                y = _merge(self.merge_layer, y, fno_skip)
            if i < last:
                y = self.activation(y)
            if self.mlps[i]:
                for layer in self.mlps[i]:
                    y = layer(y)
                if mlp_skip is not None:
                    y = y + mlp_skip
            if self.norms[i]:
                y = self.norms[i][1](y, training=training)
            if i < last and (self.mlps[i] or self.norms[i]):
                # without a channel MLP or a norm between them the second
                # activation would act on the first one's output
                y = self.activation(y)
            x = y
        if padded:
            x = self._crop(x, sizes, pads)
        for layer in self.projection:
            x = layer(x)
        if self.data_format == "channels_first":
            x = ops.moveaxis(x, -1, 1)
        return x

    def _crop(self, x, sizes, pads):
        conv = self.spectral_convs[-1]
        out_sizes = conv.output_sizes(sizes)
        starts = conv.output_sizes(pads)
        index = [slice(None)]
        for start, size in zip(starts, out_sizes):
            index.append(slice(start, start + size))
        return x[tuple(index)]

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        shape = list(self._channels_last(input_shape))
        sizes = self.spectral_convs[-1].output_sizes(shape[1:-1])
        channels = self.output_projection_dimension or self.filters[-1]
        out = (shape[0], *sizes, channels)
        if self.data_format == "channels_first":
            return (out[0], out[-1], *out[1:-1])
        return out

    def get_config(self) -> Config:
        config = super().get_config()
        spectral = self.spectral_convs[-1].get_config()
        config.update(
            {
                "rank": self.rank,
                "filters": list(self.filters),
                "modes": [list(m) for m in self.modes],
                "input_projection_dimension": self.input_projection_dimension,
                "output_projection_dimension": self.output_projection_dimension,
                "data_format": self.data_format,
                "merge_layer": self.merge_layer,
                "activation": keras.activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "lifting_channel_ratio": self.lifting_channel_ratio,
                "projection_channel_ratio": self.projection_channel_ratio,
                "positional_embedding": self.positional_embedding,
                "domain_padding": list(self.domain_padding),
                "use_channel_mlp": self.use_channel_mlp,
                "channel_mlp_expansion": self.channel_mlp_expansion,
                "fno_skip": self.fno_skip,
                "channel_mlp_skip": self.channel_mlp_skip,
                "normalization": self.normalization,
                # the last spectral layer holds these three as this model has them
                **{key: spectral[key] for key in _SPECTRAL_CONFIG},
                **weight_config(self, *WEIGHT_OPTIONS_WITH_CONSTRAINTS),
            }
        )
        return config

    @classmethod
    def from_config(cls, config: Config) -> NeuralOperator:
        config = dict(config)
        # per-block modes come back as lists of lists: one tuple per block
        config["modes"] = [tuple(m) for m in config["modes"]]
        return cls(**config)


class _FixedRank:
    """The rank is fixed by the class, so it is left out of the config."""

    def get_config(self) -> Config:
        # a mixin: the NeuralOperator that follows it in the MRO has get_config
        config: Config = super().get_config()  # type: ignore[misc]
        config.pop("rank", None)
        return config


@keras.saving.register_keras_serializable(package="kx")
class NeuralOperator1D(_FixedRank, NeuralOperator):
    """1D Fourier neural operator; the N-d :class:`NeuralOperator` with ``rank=1``.

    Args:
        filters: width of each block: an int (one block, or one per entry of a
            ``modes`` list) or a non-empty list (its length sets the depth).
        modes: Fourier modes kept per block: an int or a tuple (one per spatial
            axis) for every block, or a list with one of them per block.
        input_projection_dimension: width of the lifting channel MLP's output;
            ``None``: no lifting (the first block maps the input channels).
        output_projection_dimension: output channels of the projection channel
            MLP; ``None``: no projection (``filters[-1]`` output channels).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        merge_layer: how a block merges its spectral path and ``fno_skip``:
            ``"add"``, ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"`` or ``"minimum"``.
        activation: activation (name or callable) of the blocks and MLPs.
        use_bias: whether the spectral convolutions and MLP layers add biases.
        lifting_channel_ratio: hidden width of the lifting MLP over its output
            width, a number >= 0 (0: a single linear map).
        projection_channel_ratio: hidden width of the projection MLP over
            ``filters[-1]``, a number >= 0 (0: a single linear map).
        positional_embedding: ``"grid"`` or ``None``.
        domain_padding: fraction in ``[0, 1]`` (or one per spatial axis) padded at
            both ends of each axis.
        use_channel_mlp: whether each block has its channel MLP.
        channel_mlp_expansion: hidden width of the blocks' channel MLPs over the
            block width, a positive number (rounded).
        fno_skip: ``"linear"``, ``"identity"``, ``"soft-gating"`` or ``None``.
        channel_mlp_skip: ``"linear"``, ``"identity"``, ``"soft-gating"`` or
            ``None``.
        normalization: ``None``, ``"group_norm"`` (one group, affine),
            ``"instance_norm"`` (per channel, no weights) or ``"batch_norm"``;
            two per block.
        output_scaling_factor: ``None``, a positive number or one per spatial
            axis: the output has ``round(factor * size)`` points per axis.
        factorization: ``None``, ``"tucker"`` or ``"cp"``: the spectral weights'
            factorization.
        factorization_rank: a positive float (fraction of the dense spectral
            parameters kept, as in TFNO; default 0.1) or a positive int.
        kernel_initializer: initializer of the spectral weights and the MLP and
            linear-skip kernels.
        bias_initializer: initializer of the biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        kernel_constraint: constraint of the kernels.
        bias_constraint: constraint of the biases.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.
        training: whether batch normalization runs in training mode.

    Example:

    >>> import numpy as np
    >>> model = NeuralOperator1D(filters=[8, 8], modes=4,
    ...     input_projection_dimension=8, output_projection_dimension=1)
    >>> tuple(model(np.zeros((2, 32, 1), "float32")).shape)
    (2, 32, 1)
    """

    def __init__(
        self,
        filters: int | Sequence[int],
        modes: IntOrTuple | list[IntOrTuple],
        input_projection_dimension: int | None = None,
        output_projection_dimension: int | None = None,
        data_format: str | None = None,
        merge_layer: str = "add",
        activation: Activation = "gelu",
        use_bias: bool = True,
        lifting_channel_ratio: float = 2,
        projection_channel_ratio: float = 2,
        positional_embedding: str | None = "grid",
        domain_padding: FloatOrTuple = 0.0,
        use_channel_mlp: bool = True,
        channel_mlp_expansion: float = 0.5,
        fno_skip: str | None = "linear",
        channel_mlp_skip: str | None = "soft-gating",
        normalization: str | None = None,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            filters=filters,
            modes=modes,
            input_projection_dimension=input_projection_dimension,
            output_projection_dimension=output_projection_dimension,
            data_format=data_format,
            merge_layer=merge_layer,
            activation=activation,
            use_bias=use_bias,
            lifting_channel_ratio=lifting_channel_ratio,
            projection_channel_ratio=projection_channel_ratio,
            positional_embedding=positional_embedding,
            domain_padding=domain_padding,
            use_channel_mlp=use_channel_mlp,
            channel_mlp_expansion=channel_mlp_expansion,
            fno_skip=fno_skip,
            channel_mlp_skip=channel_mlp_skip,
            normalization=normalization,
            output_scaling_factor=output_scaling_factor,
            factorization=factorization,
            factorization_rank=factorization_rank,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class NeuralOperator2D(_FixedRank, NeuralOperator):
    """2D Fourier neural operator; the N-d :class:`NeuralOperator` with ``rank=2``.

    Args:
        filters: width of each block: an int (one block, or one per entry of a
            ``modes`` list) or a non-empty list (its length sets the depth).
        modes: Fourier modes kept per block: an int or a tuple (one per spatial
            axis) for every block, or a list with one of them per block.
        input_projection_dimension: width of the lifting channel MLP's output;
            ``None``: no lifting (the first block maps the input channels).
        output_projection_dimension: output channels of the projection channel
            MLP; ``None``: no projection (``filters[-1]`` output channels).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        merge_layer: how a block merges its spectral path and ``fno_skip``:
            ``"add"``, ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"`` or ``"minimum"``.
        activation: activation (name or callable) of the blocks and MLPs.
        use_bias: whether the spectral convolutions and MLP layers add biases.
        lifting_channel_ratio: hidden width of the lifting MLP over its output
            width, a number >= 0 (0: a single linear map).
        projection_channel_ratio: hidden width of the projection MLP over
            ``filters[-1]``, a number >= 0 (0: a single linear map).
        positional_embedding: ``"grid"`` or ``None``.
        domain_padding: fraction in ``[0, 1]`` (or one per spatial axis) padded at
            both ends of each axis.
        use_channel_mlp: whether each block has its channel MLP.
        channel_mlp_expansion: hidden width of the blocks' channel MLPs over the
            block width, a positive number (rounded).
        fno_skip: ``"linear"``, ``"identity"``, ``"soft-gating"`` or ``None``.
        channel_mlp_skip: ``"linear"``, ``"identity"``, ``"soft-gating"`` or
            ``None``.
        normalization: ``None``, ``"group_norm"`` (one group, affine),
            ``"instance_norm"`` (per channel, no weights) or ``"batch_norm"``;
            two per block.
        output_scaling_factor: ``None``, a positive number or one per spatial
            axis: the output has ``round(factor * size)`` points per axis.
        factorization: ``None``, ``"tucker"`` or ``"cp"``: the spectral weights'
            factorization.
        factorization_rank: a positive float (fraction of the dense spectral
            parameters kept, as in TFNO; default 0.1) or a positive int.
        kernel_initializer: initializer of the spectral weights and the MLP and
            linear-skip kernels.
        bias_initializer: initializer of the biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        kernel_constraint: constraint of the kernels.
        bias_constraint: constraint of the biases.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.
        training: whether batch normalization runs in training mode.

    Example:

    >>> import numpy as np
    >>> model = NeuralOperator2D(filters=[4, 4], modes=3,
    ...     input_projection_dimension=4, output_projection_dimension=2)
    >>> tuple(model(np.zeros((1, 12, 10, 1), "float32")).shape)
    (1, 12, 10, 2)
    """

    def __init__(
        self,
        filters: int | Sequence[int],
        modes: IntOrTuple | list[IntOrTuple],
        input_projection_dimension: int | None = None,
        output_projection_dimension: int | None = None,
        data_format: str | None = None,
        merge_layer: str = "add",
        activation: Activation = "gelu",
        use_bias: bool = True,
        lifting_channel_ratio: float = 2,
        projection_channel_ratio: float = 2,
        positional_embedding: str | None = "grid",
        domain_padding: FloatOrTuple = 0.0,
        use_channel_mlp: bool = True,
        channel_mlp_expansion: float = 0.5,
        fno_skip: str | None = "linear",
        channel_mlp_skip: str | None = "soft-gating",
        normalization: str | None = None,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            filters=filters,
            modes=modes,
            input_projection_dimension=input_projection_dimension,
            output_projection_dimension=output_projection_dimension,
            data_format=data_format,
            merge_layer=merge_layer,
            activation=activation,
            use_bias=use_bias,
            lifting_channel_ratio=lifting_channel_ratio,
            projection_channel_ratio=projection_channel_ratio,
            positional_embedding=positional_embedding,
            domain_padding=domain_padding,
            use_channel_mlp=use_channel_mlp,
            channel_mlp_expansion=channel_mlp_expansion,
            fno_skip=fno_skip,
            channel_mlp_skip=channel_mlp_skip,
            normalization=normalization,
            output_scaling_factor=output_scaling_factor,
            factorization=factorization,
            factorization_rank=factorization_rank,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class NeuralOperator3D(_FixedRank, NeuralOperator):
    """3D Fourier neural operator; the N-d :class:`NeuralOperator` with ``rank=3``.

    Args:
        filters: width of each block: an int (one block, or one per entry of a
            ``modes`` list) or a non-empty list (its length sets the depth).
        modes: Fourier modes kept per block: an int or a tuple (one per spatial
            axis) for every block, or a list with one of them per block.
        input_projection_dimension: width of the lifting channel MLP's output;
            ``None``: no lifting (the first block maps the input channels).
        output_projection_dimension: output channels of the projection channel
            MLP; ``None``: no projection (``filters[-1]`` output channels).
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        merge_layer: how a block merges its spectral path and ``fno_skip``:
            ``"add"``, ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"`` or ``"minimum"``.
        activation: activation (name or callable) of the blocks and MLPs.
        use_bias: whether the spectral convolutions and MLP layers add biases.
        lifting_channel_ratio: hidden width of the lifting MLP over its output
            width, a number >= 0 (0: a single linear map).
        projection_channel_ratio: hidden width of the projection MLP over
            ``filters[-1]``, a number >= 0 (0: a single linear map).
        positional_embedding: ``"grid"`` or ``None``.
        domain_padding: fraction in ``[0, 1]`` (or one per spatial axis) padded at
            both ends of each axis.
        use_channel_mlp: whether each block has its channel MLP.
        channel_mlp_expansion: hidden width of the blocks' channel MLPs over the
            block width, a positive number (rounded).
        fno_skip: ``"linear"``, ``"identity"``, ``"soft-gating"`` or ``None``.
        channel_mlp_skip: ``"linear"``, ``"identity"``, ``"soft-gating"`` or
            ``None``.
        normalization: ``None``, ``"group_norm"`` (one group, affine),
            ``"instance_norm"`` (per channel, no weights) or ``"batch_norm"``;
            two per block.
        output_scaling_factor: ``None``, a positive number or one per spatial
            axis: the output has ``round(factor * size)`` points per axis.
        factorization: ``None``, ``"tucker"`` or ``"cp"``: the spectral weights'
            factorization.
        factorization_rank: a positive float (fraction of the dense spectral
            parameters kept, as in TFNO; default 0.1) or a positive int.
        kernel_initializer: initializer of the spectral weights and the MLP and
            linear-skip kernels.
        bias_initializer: initializer of the biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        kernel_constraint: constraint of the kernels.
        bias_constraint: constraint of the biases.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.
        training: whether batch normalization runs in training mode.

    Example:

    >>> import numpy as np
    >>> model = NeuralOperator3D(filters=4, modes=2,
    ...     input_projection_dimension=4, output_projection_dimension=1)
    >>> tuple(model(np.zeros((1, 6, 6, 6, 2), "float32")).shape)
    (1, 6, 6, 6, 1)
    """

    def __init__(
        self,
        filters: int | Sequence[int],
        modes: IntOrTuple | list[IntOrTuple],
        input_projection_dimension: int | None = None,
        output_projection_dimension: int | None = None,
        data_format: str | None = None,
        merge_layer: str = "add",
        activation: Activation = "gelu",
        use_bias: bool = True,
        lifting_channel_ratio: float = 2,
        projection_channel_ratio: float = 2,
        positional_embedding: str | None = "grid",
        domain_padding: FloatOrTuple = 0.0,
        use_channel_mlp: bool = True,
        channel_mlp_expansion: float = 0.5,
        fno_skip: str | None = "linear",
        channel_mlp_skip: str | None = "soft-gating",
        normalization: str | None = None,
        output_scaling_factor: FloatOrTuple | None = None,
        factorization: str | None = None,
        factorization_rank: float | Sequence[int] = 0.1,
        kernel_initializer: Initializer = "lecun_normal",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            3,
            filters=filters,
            modes=modes,
            input_projection_dimension=input_projection_dimension,
            output_projection_dimension=output_projection_dimension,
            data_format=data_format,
            merge_layer=merge_layer,
            activation=activation,
            use_bias=use_bias,
            lifting_channel_ratio=lifting_channel_ratio,
            projection_channel_ratio=projection_channel_ratio,
            positional_embedding=positional_embedding,
            domain_padding=domain_padding,
            use_channel_mlp=use_channel_mlp,
            channel_mlp_expansion=channel_mlp_expansion,
            fno_skip=fno_skip,
            channel_mlp_skip=channel_mlp_skip,
            normalization=normalization,
            output_scaling_factor=output_scaling_factor,
            factorization=factorization,
            factorization_rank=factorization_rank,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            **kwargs,
        )
