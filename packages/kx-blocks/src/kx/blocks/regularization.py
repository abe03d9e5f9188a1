"""Residual-branch regularizers: stochastic depth (DropPath) and LayerScale."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.blocks._common import known_channels
from kx.ops import checks
from kx.ops.types import Config, Shape, Tensor

__all__ = ["DropPath", "LayerScale"]


@keras.saving.register_keras_serializable(package="kx")
class DropPath(keras.layers.Layer):
    """Stochastic depth: drop a whole residual branch per sample while training.

    In training, each sample of the batch is zeroed with probability ``rate`` and
    the kept ones are scaled by ``1 / (1 - rate)`` (Huang et al. 2016), so the
    expectation is unchanged; at inference the layer is the identity. Apply it to
    the branch before the residual sum: ``x + DropPath(0.1)(f(x))``.

    Args:
        rate: probability of dropping a sample's branch, in ``[0, 1)``.
        seed: int or None, seed of the random draws.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, ...)`` of any rank >= 1.
        training: whether to drop (defaults to the Keras learning phase).

    Example:

    >>> import numpy as np
    >>> y = DropPath(0.5)(np.ones((4, 3, 2), "float32"), training=True)
    >>> tuple(y.shape)
    (4, 3, 2)
    """

    def __init__(
        self, rate: float = 0.0, seed: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rate = checks.rate(rate, "rate", owner)
        self.seed = checks.optional(checks.positive_int, seed, "seed", owner, True)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        if not training or self.rate == 0.0:
            return inputs
        noise_shape = (ops.shape(inputs)[0],) + (1,) * (len(inputs.shape) - 1)
        return keras.random.dropout(
            inputs, self.rate, noise_shape=noise_shape, seed=self.seed_generator
        )

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config


@keras.saving.register_keras_serializable(package="kx")
class LayerScale(keras.layers.Layer):
    """A learned per-channel scale of a residual branch (Touvron et al. 2021, CaiT).

    Multiplies the last axis by a weight ``gamma`` of shape ``(channels,)`` that
    starts at ``init_value``, so that deep residual stacks start close to identity.

    Args:
        init_value: initial value of every entry of ``gamma``, a positive number.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor ``(batch, ..., channels)``.

    Example:

    >>> import numpy as np
    >>> y = LayerScale(1e-4)(np.ones((2, 5, 8), "float32"))
    >>> tuple(y.shape)
    (2, 5, 8)
    """

    def __init__(self, init_value: float = 1e-5, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.init_value = checks.number(
            init_value, "init_value", owner, 0.0, low_open=True
        )
        self.supports_masking = True

    def build(self, input_shape: Shape) -> None:
        channels = known_channels(self, input_shape)
        self.gamma = self.add_weight(
            name="gamma",
            shape=(channels,),
            initializer=keras.initializers.Constant(self.init_value),
        )
        # any rank; the channel count is gamma's
        self.input_spec = keras.layers.InputSpec(min_ndim=2, axes={-1: channels})

    def call(self, inputs: Tensor) -> Tensor:
        return inputs * ops.cast(self.gamma, inputs.dtype)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update({"init_value": self.init_value})
        return config
