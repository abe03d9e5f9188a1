"""FourierFeatures: the N-d spectrum of an input over its spatial axes, as channels."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

import kx.ops
from kx.ops import checks
from kx.ops.types import Config, Shape, Tensor

__all__ = ["FourierFeatures"]


@keras.saving.register_keras_serializable(package="kx")
class FourierFeatures(keras.layers.Layer):
    """The FFT of a real input over all its spatial axes, real and imaginary parts
    side by side on the channel axis.

    ``(batch, *spatial, channels) -> (batch, *spatial, 2 * channels)``: channels
    ``[:channels]`` are the real parts and ``[channels:]`` the imaginary parts of
    ``numpy.fft.fftn(x, axes=spatial, norm=norm)``, computed with
    :func:`kx.ops.fftn` (every backend's FFT, in float32 under mixed precision).
    The frequency input of :class:`kx.vision.SimpleViTFFT2D`. No weights.

    Args:
        norm: ``"ortho"`` (default; unit-scale features), ``"backward"`` or
            ``"forward"``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a real tensor ``(batch, *spatial, channels)`` with 1 to 3 spatial
            axes, channels last.

    Example:

    >>> import numpy as np
    >>> tuple(FourierFeatures()(np.ones((2, 8, 6, 3), "float32")).shape)
    (2, 8, 6, 6)
    """

    def __init__(self, norm: str = "ortho", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.norm = checks.one_of(
            norm, "norm", ("ortho", "backward", "forward"), type(self).__name__
        )

    def build(self, input_shape: Shape) -> None:
        if not 3 <= len(input_shape) <= 5 or input_shape[-1] is None:
            checks.fail(
                type(self).__name__,
                "input_shape",
                tuple(input_shape),
                "(batch, *spatial, channels) with 1 to 3 spatial axes and known "
                "channels",
            )

    def call(self, inputs: Tensor) -> Tensor:
        axes = tuple(range(1, len(inputs.shape) - 1))
        checks.nonempty_axes(ops.shape(inputs), axes, type(self).__name__)
        re, im = kx.ops.fftn(
            (inputs, ops.zeros_like(inputs)), axes=axes, norm=self.norm
        )
        return ops.concatenate([re, im], axis=-1)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        channels = input_shape[-1]
        return (*input_shape[:-1], None if channels is None else 2 * channels)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update({"norm": self.norm})
        return config
