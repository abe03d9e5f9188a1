"""The Residual wrapper: ``merge(layer(x), residual_layer(x) or x)``."""

from __future__ import annotations

from typing import Any

import keras

from kx.layers._wrapper import KxWrapper, layer_from
from kx.ops import checks
from kx.ops.types import Config, Layer, Shape, Tensor

__all__ = ["Residual"]


@keras.saving.register_keras_serializable(package="kx")
class Residual(KxWrapper):
    """Add a residual (skip) connection around any layer.

    The output is ``merge_layer([layer(x), residual_layer(x)])``, with the identity
    when ``residual_layer`` is ``None``. When ``layer`` changes the number of
    channels, give a ``residual_layer`` that matches it (e.g. a 1x1 convolution) or
    use ``merge_layer="concatenate"``.

    Args:
        layer: the wrapped keras Layer (or its ``serialize_keras_object`` dict).
        merge_layer: ``"add"``, ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"``, ``"minimum"``, ``"concatenate"`` (along the wrapped
            layer's channel axis) or a keras merge Layer.
        residual_layer: ``None`` (identity) or a Layer applied on the skip path.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: the input of the wrapped layer.

    Example:

    >>> import keras, numpy as np
    >>> block = Residual(keras.layers.Conv1D(3, 3, padding="same"))
    >>> y = block(np.ones((1, 32, 3), "float32"))
    >>> tuple(y.shape)
    (1, 32, 3)
    """

    def __init__(
        self,
        layer: Layer | Config,
        merge_layer: str | Layer = "add",
        residual_layer: Layer | Config | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(layer, **kwargs)
        owner = type(self).__name__
        self.merge_layer = merge_layer
        self._merge = checks.merge_layer(
            merge_layer,
            checks.channel_axis(self._data_format()),
            owner,
            self.dtype_policy,
        )
        self.residual_layer = layer_from(
            residual_layer, "residual_layer", owner, self.dtype_policy, True
        )

    def _skip_shape(self, input_shape):
        if self.residual_layer is None:
            return tuple(input_shape)
        return tuple(self.residual_layer.compute_output_shape(input_shape))

    def build(self, input_shape: Shape) -> None:
        super().build(input_shape)
        if self.residual_layer is not None and not self.residual_layer.built:
            self.residual_layer.build(input_shape)
        shapes = [
            tuple(self.layer.compute_output_shape(input_shape)),
            self._skip_shape(input_shape),
        ]
        try:
            self._merge.build(shapes)
        except ValueError as error:
            raise ValueError(
                f"Residual: the wrapped layer's output shape {shapes[0]} and the "
                f"skip path's shape {shapes[1]} cannot be merged with "
                f"merge_layer={self.merge_layer!r}; give a `residual_layer` that "
                f"matches them. ({error})"
            ) from error

    def call(self, inputs: Tensor) -> Tensor:
        skip = inputs if self.residual_layer is None else self.residual_layer(inputs)
        return self._merge([self.layer(inputs), skip])

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return self._merge.compute_output_shape(
            [
                tuple(self.layer.compute_output_shape(input_shape)),
                self._skip_shape(input_shape),
            ]
        )

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "merge_layer": checks.serialize_merge_layer(self.merge_layer),
                "residual_layer": None
                if self.residual_layer is None
                else keras.saving.serialize_keras_object(self.residual_layer),
            }
        )
        return config

    @classmethod
    def from_config(cls, config: Config) -> Residual:
        config = dict(config)
        config["merge_layer"] = checks.deserialize_merge_layer(config["merge_layer"])
        if config.get("residual_layer") is not None:
            config["residual_layer"] = keras.saving.deserialize_keras_object(
                config["residual_layer"]
            )
        return super().from_config(config)
