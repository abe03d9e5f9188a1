"""The WeightNormalization wrapper (Salimans and Kingma 2016)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.layers._wrapper import KxWrapper
from kx.ops.types import Config, Layer, Shape, Tensor

__all__ = ["WeightNormalization"]


@keras.saving.register_keras_serializable(package="kx")
class WeightNormalization(KxWrapper):
    """Reparametrize the ``kernel`` of any layer as ``w = g * v / ||v||``.

    ``v`` is the wrapped layer's own kernel (its direction), ``g`` a trainable
    scale per output unit (the kernel's last axis), initialized to ``||v||`` so
    the wrapped layer starts out unchanged; the norm runs over all other kernel
    axes. Each call runs the wrapped layer with its kernel replaced by ``w``, so
    gradients reach both ``v`` and ``g`` on every backend. The wrapped layer's
    other variables (e.g. its bias) are used as they are.

    Args:
        layer: the wrapped keras Layer (or its ``serialize_keras_object`` dict);
            it must have a ``kernel`` variable once built (``Dense``, ``ConvND``,
            ...).
        epsilon: added to the norm to avoid a division by zero.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: the input of the wrapped layer.

    Example:

    >>> import keras, numpy as np
    >>> layer = WeightNormalization(keras.layers.Dense(4))
    >>> y = layer(np.ones((2, 3), "float32"))
    >>> tuple(y.shape)
    (2, 4)
    """

    def __init__(
        self, layer: Layer | Config, epsilon: float = 1e-12, **kwargs: Any
    ) -> None:
        super().__init__(layer, **kwargs)
        if isinstance(epsilon, bool) or not isinstance(epsilon, int | float):
            raise ValueError(
                "WeightNormalization: `epsilon` must be a non-negative float; got "
                f"epsilon={epsilon!r}."
            )
        if epsilon < 0:
            raise ValueError(
                "WeightNormalization: `epsilon` must be a non-negative float; got "
                f"epsilon={epsilon!r}."
            )
        self.epsilon = float(epsilon)

    def build(self, input_shape: Shape) -> None:
        super().build(input_shape)
        kernel = getattr(self.layer, "kernel", None)
        if not isinstance(kernel, keras.Variable):
            raise ValueError(
                "WeightNormalization needs a layer with a `kernel` variable "
                f"(Dense, ConvND, ...); got {type(self.layer).__name__}, which has "
                "none."
            )
        norm = ops.convert_to_numpy(self._norm(kernel))
        self.g = self.add_weight(
            name="g",
            shape=(kernel.shape[-1],),
            initializer=keras.initializers.Constant(norm.reshape(-1).tolist()),
        )

    def _norm(self, kernel):
        axes = tuple(range(len(kernel.shape) - 1))
        return ops.sqrt(ops.sum(ops.square(kernel), axis=axes))

    def call(self, inputs: Tensor) -> Tensor:
        kernel = self.layer.kernel
        value = ops.convert_to_tensor(kernel.value)
        scale = self.g.value / (self._norm(value) + self.epsilon)
        mapping = [(kernel, value * ops.cast(scale, value.dtype))]
        # Inside the scope every variable of the wrapped layer reads the value it
        # has now (also inside an outer stateless scope, as in jax training).
        for variable in self.layer.variables:
            if variable is not kernel:
                mapping.append((variable, variable.value))
        with keras.StatelessScope(state_mapping=mapping):
            return self.layer(inputs)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config["epsilon"] = self.epsilon
        return config
