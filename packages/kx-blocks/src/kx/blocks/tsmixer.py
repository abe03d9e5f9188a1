"""TSMixerBlock: one time-mixing and one feature-mixing residual MLP (Chen et al.
2023)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.blocks._common import WEIGHT_OPTIONS, add_dense, weight_config, weight_options
from kx.ops import checks
from kx.ops.types import Activation, Config, Initializer, Shape, Tensor

__all__ = ["NORMS", "TSMixerBlock", "static_steps"]

NORMS = ("LN", "BN")


def static_steps(input_shape: Shape, owner: str) -> tuple[int, int]:
    """The time length and channel count of a ``(batch, steps, channels)`` shape;
    a ValueError when the shape is not of rank 3, either is not static or there
    are no steps.

    Example:

    >>> static_steps((None, 24, 3), "TSMixerBlock")
    (24, 3)
    >>> static_steps((None, None, 3), "TSMixerBlock")
    Traceback (most recent call last):
        ...
    ValueError: TSMixerBlock: `steps` must be a static int: ...
    >>> static_steps((None, 0, 3), "TSMixerBlock")
    Traceback (most recent call last):
        ...
    ValueError: TSMixerBlock: `input_shape` must be a tensor with no zero-length ...
    """
    shape = tuple(input_shape)
    if len(shape) != 3:
        checks.fail(owner, "input_shape", shape, "(batch, steps, channels)")
    if shape[1] is None:
        checks.fail(
            owner,
            "steps",
            None,
            "a static int: the time-mixing and projection weights have one row "
            "per step (input_shape "
            f"{shape}; give keras.Input a fixed length)",
        )
    if shape[2] is None:
        checks.fail(owner, "channels", None, f"a static int (input_shape {shape})")
    checks.nonempty_axes(shape, (1,), owner, "input_shape")
    return int(shape[1]), int(shape[2])


class _Norm(keras.layers.Layer):
    """``LayerNormalization`` or ``BatchNormalization`` over the (time, feature)
    axes jointly: one scale and offset per (step, channel), as in the reference."""

    def __init__(self, norm, **kwargs):
        super().__init__(**kwargs)
        self.kind = norm
        if norm == "LN":
            self.inner = keras.layers.LayerNormalization(
                axis=(-2, -1), dtype=self.dtype_policy, name="ln"
            )
        else:
            self.inner = keras.layers.BatchNormalization(
                dtype=self.dtype_policy, name="bn"
            )

    def build(self, input_shape):
        steps, channels = input_shape[-2], input_shape[-1]
        if self.kind == "LN":
            self.inner.build(input_shape)
        else:
            self.inner.build((input_shape[0], steps * channels))

    def call(self, x, training=None):
        if self.kind == "LN":
            return self.inner(x)
        steps, channels = x.shape[-2], x.shape[-1]
        flat = ops.reshape(x, (-1, steps * channels))
        return ops.reshape(self.inner(flat, training=training), (-1, steps, channels))


@keras.saving.register_keras_serializable(package="kx")
class TSMixerBlock(keras.layers.Layer):
    """A TSMixer residual block (Chen et al. 2023, "TSMixer: An All-MLP
    Architecture for Time Series Forecasting").

    With ``x`` of shape ``(batch, steps, channels)``::

        u = x + dropout(act(W_t @ norm1(x)))           # time mixing, (steps, steps)
        y = u + dropout(W_2 dropout(act(W_1 norm2(u))))  # feature mixing

    The time-mixing dense layer acts across steps (the same for every channel),
    the feature-mixing MLP ``channels -> num_hidden -> channels`` across channels
    (the same for every step). ``norm`` is a layer norm (``"LN"``) or a batch norm
    (``"BN"``) over the time and feature axes together, with a scale and offset per
    (step, channel), as in the paper's reference code. The time length must be
    static.

    Args:
        num_hidden: hidden width of the feature-mixing MLP; None: the channel
            count.
        norm: ``"LN"`` or ``"BN"``.
        activation: activation of both MLPs, ``"relu"`` by default.
        dropout_rate: dropout rate, in ``[0, 1)``.
        kernel_initializer: initializer of the three kernels.
        bias_initializer: initializer of the three biases.
        kernel_regularizer: regularizer of the kernels.
        bias_regularizer: regularizer of the biases.
        seed: int or None, seed of the dropout draws.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, steps, channels)`` with static ``steps``.
        training: whether dropout (and batch-norm statistics) are in training mode.

    Example:

    >>> import numpy as np
    >>> block = TSMixerBlock(num_hidden=16)
    >>> tuple(block(np.ones((2, 12, 3), "float32")).shape)
    (2, 12, 3)
    """

    def __init__(
        self,
        num_hidden: int | None = None,
        norm: str = "LN",
        activation: Activation = "relu",
        dropout_rate: float = 0.1,
        kernel_initializer: Initializer = "glorot_uniform",
        bias_initializer: Initializer = "zeros",
        kernel_regularizer: Initializer = None,
        bias_regularizer: Initializer = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.num_hidden = checks.optional(
            checks.positive_int, num_hidden, "num_hidden", owner
        )
        self.norm = checks.one_of(norm, "norm", NORMS, owner)
        self.activation = checks.activation(activation, "activation", owner)
        self.dropout_rate = checks.rate(dropout_rate, "dropout_rate", owner)
        weight_options(
            self,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
        )
        self.seed = checks.optional(checks.positive_int, seed, "seed", owner, True)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.time_norm = _Norm(self.norm, dtype=self.dtype_policy, name="time_norm")
        self.feature_norm = _Norm(
            self.norm, dtype=self.dtype_policy, name="feature_norm"
        )

    def build(self, input_shape: Shape) -> None:
        steps, channels = static_steps(input_shape, type(self).__name__)
        hidden = self.num_hidden or channels
        self.time_norm.build(input_shape)
        self.feature_norm.build(input_shape)
        self.time_kernel, self.time_bias = add_dense(self, "time", (steps, steps))
        self.hidden_kernel, self.hidden_bias = add_dense(
            self, "hidden", (channels, hidden)
        )
        self.output_kernel, self.output_bias = add_dense(
            self, "output", (hidden, channels)
        )
        # the time-mixing and norm weights fix the steps, the MLP the channels
        self.input_spec = keras.layers.InputSpec(ndim=3, axes={1: steps, -1: channels})

    def _drop(self, x, training):
        if training and self.dropout_rate > 0.0:
            return keras.random.dropout(x, self.dropout_rate, seed=self.seed_generator)
        return x

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        x = self.time_norm(inputs, training=training)
        # (batch, steps, channels) x (steps, steps'): mix along time per channel
        t = ops.einsum("btc,ts->bsc", x, self.time_kernel)
        t = self.activation(t + self.time_bias[:, None])
        u = inputs + self._drop(t, training)
        f = self.feature_norm(u, training=training)
        f = self.activation(ops.matmul(f, self.hidden_kernel) + self.hidden_bias)
        f = self._drop(f, training)
        f = ops.matmul(f, self.output_kernel) + self.output_bias
        return u + self._drop(f, training)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "num_hidden": self.num_hidden,
                "norm": self.norm,
                "activation": keras.activations.serialize(self.activation),
                "dropout_rate": self.dropout_rate,
                "seed": self.seed,
                **weight_config(self, *WEIGHT_OPTIONS),
            }
        )
        return config
