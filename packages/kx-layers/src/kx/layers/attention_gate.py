"""AttentionGate: the additive attention gate of Attention U-Net (Oktay et al. 2018)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from kx.layers._conv import CONV
from kx.ops import checks
from kx.ops.types import Config, Layer, Shape, Tensor

__all__ = ["AttentionGate"]


@keras.saving.register_keras_serializable(package="kx")
class AttentionGate(keras.layers.Layer):
    """Gate ``x`` by attention coefficients computed from ``x`` and a signal ``g``.

    ``alpha = sigmoid(psi(relu(merge(W_x x, W_g g))))`` and the output is
    ``x * alpha``; ``W_x`` and ``W_g`` are 1x1 convolutions to the channels of
    ``g``, ``psi`` a 1x1 convolution back to the channels of ``x`` (a gate per
    channel and position). ``x`` and ``g`` share their spatial shape; 1D to 3D
    inputs.

    Args:
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        merge_layer: how the two projections combine: ``"add"`` (the paper's
            additive attention), ``"subtract"``, ``"multiply"``, ``"average"``,
            ``"maximum"``, ``"minimum"`` or a keras merge layer whose output keeps
            the channels of ``g``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``[x, g]``: the features to gate and the gating signal, both
            ``(batch, *spatial, channels)`` (``channels_last``).

    Example:

    >>> import numpy as np
    >>> x, g = np.ones((2, 16, 4), "float32"), np.ones((2, 16, 8), "float32")
    >>> y = AttentionGate()([x, g])
    >>> tuple(y.shape)
    (2, 16, 4)
    """

    def __init__(
        self,
        data_format: str | None = None,
        merge_layer: str | Layer = "add",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.data_format = checks.data_format(data_format, owner)
        if merge_layer == "concatenate":
            raise ValueError(
                f"{owner}: `merge_layer` must keep the channels of the projections; "
                "got merge_layer='concatenate'."
            )
        self.merge_layer = merge_layer
        self._merge = checks.merge_layer(
            merge_layer, checks.channel_axis(self.data_format), owner, self.dtype_policy
        )

    def build(self, input_shape: Sequence[Shape]) -> None:
        owner = type(self).__name__
        if (
            not isinstance(input_shape, list | tuple)
            or len(input_shape) != 2
            or not all(isinstance(s, list | tuple) for s in input_shape)
        ):
            raise ValueError(
                f"{owner} expects two inputs [x, g]; got input shape {input_shape}."
            )
        shape_x, shape_g = (tuple(s) for s in input_shape)
        if len(shape_x) not in (3, 4, 5) or len(shape_g) != len(shape_x):
            raise ValueError(
                f"{owner} expects x and g with the same rank, 3 to 5 dimensions; "
                f"got shapes {shape_x} and {shape_g}."
            )
        axes = checks.spatial_axes(len(shape_x) - 2, self.data_format)
        if any(
            shape_x[a] is not None
            and shape_g[a] is not None
            and shape_x[a] != shape_g[a]
            for a in axes
        ):
            raise ValueError(
                f"{owner}: x and g must have the same spatial shape; got {shape_x} "
                f"and {shape_g}."
            )
        channels_x = checks.known_channels(shape_x, self.data_format, owner)
        channels_g = checks.known_channels(shape_g, self.data_format, owner)
        conv = CONV[len(shape_x) - 2]
        common = {
            "kernel_size": 1,
            "data_format": self.data_format,
            "dtype": self.dtype_policy,
        }
        self.conv_x = conv(channels_g, name="conv_x", **common)
        self.conv_g = conv(channels_g, name="conv_g", **common)
        self.psi = conv(channels_x, activation="sigmoid", name="psi", **common)
        self.conv_x.build(shape_x)
        self.conv_g.build(shape_g)
        projected = self.conv_g.compute_output_shape(shape_g)
        self._merge.build([projected, projected])
        self.psi.build(self._merge.compute_output_shape([projected, projected]))

    def call(self, inputs: Sequence[Tensor]) -> Tensor:
        x, g = inputs
        alpha = self._merge([self.conv_x(x), self.conv_g(g)])
        return x * self.psi(ops.relu(alpha))

    def compute_output_shape(self, input_shape: Sequence[Shape]) -> Shape:
        return tuple(input_shape[0])

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "data_format": self.data_format,
                "merge_layer": checks.serialize_merge_layer(self.merge_layer),
            }
        )
        return config

    @classmethod
    def from_config(cls, config: Config) -> AttentionGate:
        config = dict(config)
        config["merge_layer"] = checks.deserialize_merge_layer(config["merge_layer"])
        return cls(**config)
