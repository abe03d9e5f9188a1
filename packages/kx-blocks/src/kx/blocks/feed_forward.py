"""FeedForward: the two-layer MLP of a transformer block."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.blocks._common import (
    WEIGHT_OPTIONS_WITH_CONSTRAINTS,
    add_dense,
    known_channels,
    weight_config,
    weight_options,
)
from kx.ops import checks
from kx.ops.types import Activation, Config, Initializer, Shape, Tensor

__all__ = ["FeedForward"]


@keras.saving.register_keras_serializable(package="kx")
class FeedForward(keras.layers.Layer):
    """The MLP of a transformer block: ``Dense(mlp_dim, activation)``, dropout,
    ``Dense(output_dim)``, dropout.

    Acts on the last axis; every other axis is a batch axis.

    Args:
        mlp_dim: width of the hidden layer, a positive int.
        output_dim: width of the output; None keeps the input's channel count.
        activation: activation of the hidden layer (a Keras activation name or
            callable), ``"gelu"`` by default.
        dropout: dropout rate after the activation and after the output, in
            ``[0, 1)``.
        use_bias: whether the two dense layers have biases.
        kernel_initializer: initializer of the two kernels.
        bias_initializer: initializer of the two biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        kernel_constraint: constraint of the kernels.
        bias_constraint: constraint of the biases.
        seed: int or None, seed of the dropout draws.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, ..., channels)``.
        training: whether dropout is active.

    Example:

    >>> import numpy as np
    >>> y = FeedForward(mlp_dim=16)(np.ones((2, 5, 8), "float32"))
    >>> tuple(y.shape)
    (2, 5, 8)
    """

    def __init__(
        self,
        mlp_dim: int,
        output_dim: int | None = None,
        activation: Activation = "gelu",
        dropout: float = 0.0,
        use_bias: bool = True,
        kernel_initializer: Initializer = "glorot_uniform",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        kernel_constraint: Initializer = None,
        bias_constraint: Initializer = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.mlp_dim = checks.positive_int(mlp_dim, "mlp_dim", owner)
        self.output_dim = checks.optional(
            checks.positive_int, output_dim, "output_dim", owner
        )
        self.activation = checks.activation(activation, "activation", owner)
        self.dropout = checks.rate(dropout, "dropout", owner)
        self.use_bias = checks.boolean(use_bias, "use_bias", owner)
        weight_options(
            self,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
        )
        self.seed = checks.optional(checks.positive_int, seed, "seed", owner, True)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def build(self, input_shape: Shape) -> None:
        channels = known_channels(self, input_shape)
        out = self.output_dim or channels
        hidden, output = (channels, self.mlp_dim), (self.mlp_dim, out)
        self.kernel1, self.bias1 = add_dense(self, "hidden", hidden, self.use_bias)
        self.kernel2, self.bias2 = add_dense(self, "output", output, self.use_bias)
        # any rank; the channel count is the kernels'
        self.input_spec = keras.layers.InputSpec(min_ndim=2, axes={-1: channels})

    def _drop(self, x, training):
        if training and self.dropout > 0.0:
            return keras.random.dropout(x, self.dropout, seed=self.seed_generator)
        return x

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        x = ops.matmul(inputs, self.kernel1)
        if self.bias1 is not None:
            x = x + self.bias1
        x = self._drop(self.activation(x), training)
        x = ops.matmul(x, self.kernel2)
        if self.bias2 is not None:
            x = x + self.bias2
        return self._drop(x, training)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return (*input_shape[:-1], self.output_dim or input_shape[-1])

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "mlp_dim": self.mlp_dim,
                "output_dim": self.output_dim,
                "activation": keras.activations.serialize(self.activation),
                "dropout": self.dropout,
                "use_bias": self.use_bias,
                "seed": self.seed,
                **weight_config(self, *WEIGHT_OPTIONS_WITH_CONSTRAINTS),
            }
        )
        return config
