"""TSMixer: the all-MLP forecaster of Chen et al. 2023."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from kx.blocks.tsmixer import NORMS, TSMixerBlock, static_steps
from kx.ops import checks
from kx.ops.types import Activation, Config, Shape, Tensor

__all__ = ["TSMixer"]


def _hidden_list(num_hidden, owner):
    if isinstance(num_hidden, list | tuple):
        if not num_hidden:
            checks.fail(owner, "num_hidden", num_hidden, "None, an int or a list")
        return [checks.optional(checks.positive_int, h, "num_hidden", owner)
                for h in num_hidden]  # fmt: skip
    return [checks.optional(checks.positive_int, num_hidden, "num_hidden", owner)]


def _target_list(target_slice, owner):
    if target_slice is None:
        return None
    items = target_slice
    if isinstance(items, int) and not isinstance(items, bool):
        items = [items]
    accepted = "None, a channel index or a list of channel indices (ints >= 0)"
    if not isinstance(items, list | tuple) or not items:
        checks.fail(owner, "target_slice", target_slice, accepted)
    for i in items:
        if not isinstance(i, int) or isinstance(i, bool) or i < 0:
            checks.fail(owner, "target_slice", target_slice, accepted)
    return [int(i) for i in items]


@keras.saving.register_keras_serializable(package="kx")
class TSMixer(keras.Model):
    """TSMixer (Chen et al. 2023): a stack of :class:`~kx.blocks.TSMixerBlock`
    and a temporal projection to the forecast horizon.

    Maps a look-back window ``(batch, steps, channels)`` to a forecast
    ``(batch, sequence_length, targets)``: the blocks mix time and features, then
    one dense layer across steps (shared by the channels) projects ``steps`` to
    ``sequence_length``. As in the reference code, ``use_revin`` adds reversible
    instance normalization (Kim et al. 2022): each series is standardised over its
    window with a learned per-channel affine map before the blocks and the map and
    statistics are undone on the forecast; ``target_slice`` forecasts only some
    channels (all channels still feed the blocks).

    Args:
        sequence_length: forecast horizon, a positive int.
        num_hidden: hidden width of the feature MLPs: None (the channel count) or
            an int for one block, or a list with one entry per block.
        norm: ``"LN"`` or ``"BN"``.
        activation: activation of the MLPs, ``"relu"`` by default.
        dropout_rate: dropout rate, in ``[0, 1)``.
        use_revin: whether to use reversible instance normalization.
        target_slice: None (forecast every channel), a channel index, or a list
            of channel indices.
        seed: int or None, seed of the dropout draws.
        **kwargs: base ``Model`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, steps, channels)`` with static ``steps``.
        training: whether dropout (and batch-norm statistics) are in training mode.

    Example:

    >>> import numpy as np
    >>> model = TSMixer(sequence_length=6, num_hidden=[16, 16])
    >>> tuple(model(np.ones((2, 24, 3), "float32")).shape)
    (2, 6, 3)
    """

    def __init__(
        self,
        sequence_length: int,
        num_hidden: int | Sequence[int | None] | None = None,
        norm: str = "LN",
        activation: Activation = "relu",
        dropout_rate: float = 0.1,
        use_revin: bool = False,
        target_slice: int | Sequence[int] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.sequence_length = checks.positive_int(
            sequence_length, "sequence_length", owner
        )
        self.num_hidden = _hidden_list(num_hidden, owner)
        self._num_hidden_arg = (
            list(num_hidden) if isinstance(num_hidden, list | tuple) else num_hidden
        )
        self.norm = checks.one_of(norm, "norm", NORMS, owner)
        self.activation = checks.activation(activation, "activation", owner)
        self.dropout_rate = checks.rate(dropout_rate, "dropout_rate", owner)
        self.use_revin = checks.boolean(use_revin, "use_revin", owner)
        self.target_slice = _target_list(target_slice, owner)
        self.seed = checks.optional(checks.positive_int, seed, "seed", owner, True)
        self.blocks = [
            TSMixerBlock(
                num_hidden=hidden,
                norm=self.norm,
                activation=self.activation,
                dropout_rate=self.dropout_rate,
                seed=None if self.seed is None else self.seed + i,
                dtype=self.dtype_policy,
                name=f"block{i}",
            )
            for i, hidden in enumerate(self.num_hidden)
        ]

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        steps, channels = static_steps(input_shape, owner)
        if self.target_slice is not None and max(self.target_slice) >= channels:
            checks.fail(
                owner,
                "target_slice",
                self.target_slice,
                f"channel indices below the input's {channels} channels",
            )
        for block in self.blocks:
            block.build(input_shape)
        self.projection_kernel = self.add_weight(
            name="projection_kernel",
            shape=(steps, self.sequence_length),
            initializer="glorot_uniform",
        )
        self.projection_bias = self.add_weight(
            name="projection_bias", shape=(self.sequence_length,), initializer="zeros"
        )
        if self.use_revin:
            self.revin_scale = self.add_weight(
                name="revin_scale", shape=(channels,), initializer="ones"
            )
            self.revin_bias = self.add_weight(
                name="revin_bias", shape=(channels,), initializer="zeros"
            )
        self.input_spec = keras.layers.InputSpec(ndim=3, axes={1: steps, -1: channels})

    def _targets(self, x):
        if self.target_slice is None:
            return x
        return ops.take(x, self.target_slice, axis=-1)

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        x = inputs
        eps = 1e-5
        # the statistics in float32 at least (float64 stays float64)
        stats = "float64" if self.compute_dtype == "float64" else "float32"
        if self.use_revin:
            xf = ops.cast(x, stats)
            mean = ops.mean(xf, axis=1, keepdims=True)
            std = ops.sqrt(ops.var(xf, axis=1, keepdims=True) + eps)
            x = ops.cast((xf - mean) / std, x.dtype)
            x = x * self.revin_scale + self.revin_bias
        for block in self.blocks:
            x = block(x, training=training)
        x = self._targets(x)
        y = ops.einsum("btc,ts->bsc", x, self.projection_kernel)
        y = y + self.projection_bias[:, None]
        if self.use_revin:
            scale = self._targets(self.revin_scale)
            bias = self._targets(self.revin_bias)
            y = (y - bias) / (scale + eps * eps)
            y = ops.cast(y, stats) * self._targets(std) + self._targets(mean)
            y = ops.cast(y, inputs.dtype)
        return y

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        targets = input_shape[-1]
        if self.target_slice is not None:
            targets = len(self.target_slice)
        return (input_shape[0], self.sequence_length, targets)

    def get_config(self) -> Config:
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": keras.saving.serialize_keras_object(self.dtype_policy),
        }
        config.update(
            {
                "sequence_length": self.sequence_length,
                "num_hidden": self._num_hidden_arg,
                "norm": self.norm,
                "activation": keras.activations.serialize(self.activation),
                "dropout_rate": self.dropout_rate,
                "use_revin": self.use_revin,
                "target_slice": self.target_slice,
                "seed": self.seed,
            }
        )
        return config
