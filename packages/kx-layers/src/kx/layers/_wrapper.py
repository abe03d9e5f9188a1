"""The base of the kx wrappers: a keras Wrapper that also takes a layer config."""

from __future__ import annotations

from typing import Any

import keras

from kx.ops import checks
from kx.ops.types import Config, Layer, Shape


def layer_from(value, name, owner, dtype_policy, allow_none=False):
    """A Layer as is, or one deserialized from its ``serialize_keras_object`` dict.

    A deserialized layer whose config names no ``dtype`` takes ``dtype_policy``.
    """
    if isinstance(value, dict):
        value = dict(value)
        config = dict(value.get("config", {}))
        config.setdefault("dtype", keras.dtype_policies.serialize(dtype_policy))
        value["config"] = config
        try:
            value = keras.saving.deserialize_keras_object(value)
        except Exception as error:
            raise ValueError(
                f"{owner}: `{name}` is a dict but not the config of a registered "
                f"keras Layer: {error}"
            ) from error
    return checks.a_layer(value, name, owner, allow_none=allow_none)


class KxWrapper(keras.layers.Wrapper):
    """A ``keras.layers.Wrapper`` whose ``layer`` may be a Layer or its config.

    The wrapped layer is serialized with the wrapper (``get_config``) and rebuilt
    from it (``from_config``), so a model holding the wrapper saves and loads.
    """

    def __init__(self, layer: Layer | Config, **kwargs: Any) -> None:
        dtype = kwargs.get("dtype")
        policy = keras.dtype_policies.get(dtype) if dtype is not None else None
        policy = policy or keras.config.dtype_policy()
        layer = layer_from(layer, "layer", type(self).__name__, policy)
        super().__init__(layer, **kwargs)

    def _data_format(self):
        value = getattr(self.layer, "data_format", None)
        return (
            value if value in ("channels_first", "channels_last") else ("channels_last")
        )

    def _position_axes(self, ndim):
        """The axes of a wrapped layer's input other than the batch and channels."""
        channel = checks.channel_axis(self._data_format()) % ndim
        return tuple(axis for axis in range(1, ndim) if axis != channel)

    def _check_positions(self, shape):
        """No static zero-length position axis in an input of shape ``shape``."""
        shape = tuple(shape)
        checks.nonempty_axes(
            shape, self._position_axes(len(shape)), type(self).__name__
        )

    def _build_layer(self, input_shape: Shape) -> tuple:
        """Build the wrapped layer and return its output shape for ``input_shape``.

        An input with a zero-length position axis, or one the wrapped layer
        rejects (a wrong rank for its kernel, ...), is a ``ValueError`` that
        names this wrapper and quotes the wrapped layer's own message.
        """
        owner = type(self).__name__
        self._check_positions(input_shape)
        try:
            super().build(input_shape)
            return tuple(self.layer.compute_output_shape(input_shape))
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"{owner}: `inputs` must be an input the wrapped layer "
                f"{self.layer.name!r} accepts; got inputs of shape "
                f"{tuple(input_shape)}, for which {self.layer.name!r} says: {error}"
            ) from error

    @classmethod
    def from_config(cls, config: Config) -> KxWrapper:
        config = dict(config)
        layer = keras.saving.deserialize_keras_object(config.pop("layer"))
        return cls(layer, **config)
