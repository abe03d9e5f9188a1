"""The TemporalSlice wrapper: run a layer on sliding windows along one axis."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.layers._wrapper import KxWrapper
from kx.ops import checks
from kx.ops.types import Config, IntOrTuple, Layer, Shape, Tensor

__all__ = ["TemporalSlice"]


@keras.saving.register_keras_serializable(package="kx")
class TemporalSlice(KxWrapper):
    """Apply a layer to every window along ``axis`` and concatenate the results.

    Window ``k`` is ``x[..., k * strides : k * strides + window_size, ...]`` along
    ``axis``; there are ``(n - window_size) // strides + 1`` of them. The wrapped
    layer runs once on all windows stacked along the batch axis, and the outputs
    are concatenated along ``axis`` in window order. For example, a model trained
    on 8 time steps (stored along the channel axis) applied to 10 steps with
    ``strides=1`` runs on 3 windows.

    Args:
        layer: the wrapped keras Layer (or its ``serialize_keras_object`` dict).
        window_size: length of each window.
        strides: step between windows.
        axis: the axis to slide along (not the batch axis); ``None`` is the
            channel axis of the wrapped layer's ``data_format`` (the last axis
            when it has none).
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a tensor with a known size along ``axis``.

    Example:

    >>> import keras, numpy as np
    >>> inner = keras.layers.Conv1D(2, 3, padding="same")
    >>> y = TemporalSlice(inner, window_size=4)(np.ones((1, 16, 6), "float32"))
    >>> tuple(y.shape)
    (1, 16, 6)
    """

    def __init__(
        self,
        layer: Layer | Config,
        window_size: int,
        strides: IntOrTuple = 1,
        axis: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(layer, **kwargs)
        owner = type(self).__name__
        self.window_size = checks.positive_int(window_size, "window_size", owner)
        self.strides = checks.positive_int(strides, "strides", owner)
        if axis is not None and (
            isinstance(axis, bool) or not isinstance(axis, int) or axis == 0
        ):
            raise ValueError(
                f"{owner}: `axis` must be None or a non-batch axis (a non-zero int); "
                f"got axis={axis!r}."
            )
        self.axis = axis

    def _axis(self, ndim):
        axis = self.axis
        if axis is None:
            axis = checks.channel_axis(self._data_format())
        if not -ndim <= axis < ndim or axis % ndim == 0:
            raise ValueError(
                f"TemporalSlice: axis={axis} is not a non-batch axis of inputs with "
                f"{ndim} dimensions."
            )
        return axis % ndim

    def _windows(self, input_shape):
        axis = self._axis(len(input_shape))
        n = input_shape[axis]
        if n is None:
            raise ValueError(
                f"TemporalSlice needs a known size along axis {axis}; got input "
                f"shape {tuple(input_shape)}."
            )
        if n < self.window_size:
            raise ValueError(
                f"TemporalSlice: window_size={self.window_size} is larger than the "
                f"input's size {n} along axis {axis}."
            )
        return axis, (n - self.window_size) // self.strides + 1

    def _window_shape(self, input_shape):
        axis, _ = self._windows(input_shape)
        shape = list(input_shape)
        shape[axis] = self.window_size
        return tuple(shape)

    def build(self, input_shape: Shape) -> None:
        super().build(self._window_shape(input_shape))

    def call(self, inputs: Tensor) -> Tensor:
        axis, count = self._windows(tuple(inputs.shape))
        batch = ops.shape(inputs)[0]
        index = [slice(None)] * len(inputs.shape)
        windows = []
        for k in range(count):
            index[axis] = slice(k * self.strides, k * self.strides + self.window_size)
            windows.append(inputs[tuple(index)])
        outputs = self.layer(ops.concatenate(windows, axis=0))
        parts = [outputs[k * batch : (k + 1) * batch] for k in range(count)]
        return ops.concatenate(parts, axis=axis)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        axis, count = self._windows(tuple(input_shape))
        shape = list(self.layer.compute_output_shape(self._window_shape(input_shape)))
        if shape[axis] is not None:
            shape[axis] = shape[axis] * count
        return tuple(shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "window_size": self.window_size,
                "strides": self.strides,
                "axis": self.axis,
            }
        )
        return config
