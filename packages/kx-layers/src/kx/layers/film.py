"""The FiLM wrapper: feature-wise linear modulation (Perez et al. 2018)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.layers._wrapper import KxWrapper
from kx.ops import checks
from kx.ops.types import Config, Layer, Shape, Tensor

__all__ = ["FiLM"]


@keras.saving.register_keras_serializable(package="kx")
class FiLM(KxWrapper):
    """Condition any layer on a vector: ``(1 + gamma(c)) * layer(x) + beta(c)``.

    ``gamma`` and ``beta`` are two small MLPs (``Dense(num_hidden, "relu")`` then a
    ``Dense(channels)`` initialized to zero, so the wrapper starts as the
    identity modulation) of the conditioning vector ``c``; they scale and shift
    every channel of the wrapped layer's output at every position.

    Args:
        layer: the wrapped keras Layer (or its ``serialize_keras_object`` dict).
        num_hidden: width of the hidden layer of both MLPs.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``[x, c]``: the input of the wrapped layer and the conditioning
            tensor ``(batch, features)``; or ``x`` with ``c`` given as
            ``conditioning_inputs``.
        conditioning_inputs: the conditioning tensor when ``inputs`` is ``x``.

    Example:

    >>> import keras, numpy as np
    >>> film = FiLM(keras.layers.Conv1D(4, 3, padding="same"), num_hidden=8)
    >>> y = film([np.ones((2, 16, 3), "float32"), np.ones((2, 5), "float32")])
    >>> tuple(y.shape)
    (2, 16, 4)
    """

    def __init__(
        self, layer: Layer | Config, num_hidden: int = 16, **kwargs: Any
    ) -> None:
        super().__init__(layer, **kwargs)
        self.num_hidden = checks.positive_int(num_hidden, "num_hidden", "FiLM")

    @staticmethod
    def _split(inputs, conditioning_inputs):
        if conditioning_inputs is None:
            if not isinstance(inputs, list | tuple) or len(inputs) != 2:
                raise ValueError(
                    "FiLM expects inputs [x, conditioning] or a "
                    "`conditioning_inputs` argument; got one input."
                )
            return inputs
        return inputs, conditioning_inputs

    def build(
        self, inputs_shape: Shape, conditioning_inputs_shape: Shape | None = None
    ) -> None:
        shape, cond_shape = self._split(inputs_shape, conditioning_inputs_shape)
        if len(cond_shape) != 2:
            raise ValueError(
                "FiLM: the conditioning input must be (batch, features); got shape "
                f"{tuple(cond_shape)}."
            )
        super().build(tuple(shape))
        out_shape = self.layer.compute_output_shape(tuple(shape))
        channels = out_shape[checks.channel_axis(self._data_format())]
        hidden_shape = (cond_shape[0], self.num_hidden)
        self._mlps = {}
        for name in ("gamma", "beta"):
            hidden = keras.layers.Dense(
                self.num_hidden,
                activation="relu",
                dtype=self.dtype_policy,
                name=f"{name}_hidden",
            )
            out = keras.layers.Dense(
                channels,
                kernel_initializer="zeros",
                dtype=self.dtype_policy,
                name=name,
            )
            hidden.build(tuple(cond_shape))
            out.build(hidden_shape)
            self._mlps[name] = (hidden, out)

    def call(self, inputs: Tensor, conditioning_inputs: Tensor | None = None) -> Tensor:
        x, cond = self._split(inputs, conditioning_inputs)
        y = self.layer(x)
        gamma, beta = (
            self._mlps[name][1](self._mlps[name][0](cond)) for name in ("gamma", "beta")
        )
        shape = [-1] + [1] * (len(y.shape) - 1)
        axis = checks.channel_axis(self._data_format())
        shape[axis] = y.shape[axis]
        gamma = ops.reshape(ops.cast(gamma, y.dtype), shape)
        beta = ops.reshape(ops.cast(beta, y.dtype), shape)
        return y * (1 + gamma) + beta

    def compute_output_shape(
        self, inputs_shape: Shape, conditioning_inputs_shape: Shape | None = None
    ) -> Shape:
        shape, _ = self._split(inputs_shape, conditioning_inputs_shape)
        return self.layer.compute_output_shape(tuple(shape))

    def get_config(self) -> Config:
        config = super().get_config()
        config["num_hidden"] = self.num_hidden
        return config
