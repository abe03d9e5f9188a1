"""The mixed-memory wrapper: an LSTM memory in front of a continuous-time cell."""

from __future__ import annotations

from typing import Any

import keras

from kx.ncps.base import ContinuousCell
from kx.ncps.wirings import Wiring
from kx.ops import matmul, tanh
from kx.ops.checks import number
from kx.ops.types import Config, Layer, Shape, Tensor

__all__ = ["MixedMemoryRNN"]


def _flat_size(state_size):
    if isinstance(state_size, int):
        return state_size
    return int(sum(state_size))


@keras.saving.register_keras_serializable(package="kx")
class MixedMemoryRNN(ContinuousCell):
    """A cell that feeds a continuous-time cell through an LSTM memory.

    (Lechner and Hasani, "Learning long-term dependencies in irregularly-sampled
    time series", 2020.) With ``c`` the memory, ``h`` the wrapped cell's state and
    ``[i, g, f, o] = x W + h U + b``:

        c' = c * sigmoid(f + forget_gate_bias) + tanh(i) * sigmoid(g)
        y, h' = rnn_cell(tanh(c') * sigmoid(o), h, dt)

    The elapsed time goes to the wrapped cell only. States: ``[c, h]``.

    Args:
        rnn_cell: a kx.ncps cell (:class:`CfCCell`, :class:`WiredCfCCell`,
            :class:`LTCCell`).
        forget_gate_bias: added to the forget gate's pre-activation.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: ``(batch, features)``, or ``(x, t)`` with ``t`` of shape
            ``(batch, 1)``.
        states: ``[c, h]``.
        training: passed to the wrapped cell.

    Example:

    >>> import keras
    >>> from kx.ncps import CfCCell
    >>> rnn = keras.layers.RNN(MixedMemoryRNN(CfCCell(4, backbone_units=8)))
    >>> tuple(rnn(keras.ops.ones((2, 5, 3))).shape)
    (2, 4)
    """

    def __init__(
        self, rnn_cell: Layer, forget_gate_bias: float = 1.0, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(rnn_cell, dict):
            rnn_cell = keras.saving.deserialize_keras_object(rnn_cell)
        if not isinstance(rnn_cell, ContinuousCell) or isinstance(
            rnn_cell, MixedMemoryRNN
        ):
            raise ValueError(
                "MixedMemoryRNN: `rnn_cell` must be a kx.ncps cell (CfCCell, "
                f"WiredCfCCell, LTCCell); got rnn_cell={rnn_cell!r} of type "
                f"{type(rnn_cell).__name__}."
            )
        self.rnn_cell = rnn_cell
        self.forget_gate_bias = number(
            forget_gate_bias, "forget_gate_bias", "MixedMemoryRNN"
        )
        self.flat_size = _flat_size(rnn_cell.state_size)
        self.state_size = [self.flat_size, rnn_cell.state_size]
        self.output_size = getattr(rnn_cell, "output_size", self.flat_size)

    @property
    def wiring(self) -> Wiring | None:
        return getattr(self.rnn_cell, "wiring", None)

    def build(self, input_shape: Shape) -> None:
        n_in = self.input_features(input_shape)
        m = self.flat_size
        self.rnn_cell.dtype_policy = self.dtype_policy
        self.rnn_cell.build((None, m))
        self.input_kernel = self.add_weight(
            name="input_kernel", shape=(n_in, 4 * m), initializer="glorot_uniform"
        )
        self.recurrent_kernel = self.add_weight(
            name="recurrent_kernel", shape=(m, 4 * m), initializer="orthogonal"
        )
        self.bias = self.add_weight(name="bias", shape=(4 * m,), initializer="zeros")

    def step_functions(
        self, x: Tensor, training: bool | None, timed: bool = False
    ) -> Any:
        ops = keras.ops
        kernel = ops.convert_to_tensor(self.input_kernel)
        recurrent = ops.convert_to_tensor(self.recurrent_kernel)
        bias = ops.convert_to_tensor(self.bias)
        inner_project, inner_step = self.rnn_cell.step_functions(x, training, timed)
        fgb, m = self.forget_gate_bias, self.flat_size

        def project(x):
            return matmul(x, kernel) + bias

        def step(p, dt, states):
            memory, inner = states[0], states[1:]
            z = p + matmul(inner[0], recurrent)
            i, g, f, o = (z[:, k * m : (k + 1) * m] for k in range(4))
            memory = memory * ops.sigmoid(f + fgb) + tanh(i) * ops.sigmoid(g)
            feed = tanh(memory) * ops.sigmoid(o)
            out, inner = inner_step(inner_project(feed), dt, list(inner))
            return out, [memory, *inner]

        return project, step

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "rnn_cell": keras.saving.serialize_keras_object(self.rnn_cell),
                "forget_gate_bias": self.forget_gate_bias,
            }
        )
        return config
