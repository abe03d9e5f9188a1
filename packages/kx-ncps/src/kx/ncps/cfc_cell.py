"""Closed-form continuous-time (CfC) cells: dense and wired.

Hasani et al., "Closed-form continuous-time neural networks", Nature Machine
Intelligence 4, 2022. With ``z = [x, h]`` (input and state), an optional backbone
``a = act(... act(z W_0 + b_0) ...)`` (``a = z`` without one) and heads
``ff1, ff2 = tanh(a W_1 + b_1), tanh(a W_2 + b_2)``,
``t_a, t_b = a W_a + b_a, a W_b + b_b``, the gate is
``sigma = sigmoid(-t_a * dt + t_b)`` for an elapsed time ``dt`` and the new state:

* ``"default"``: ``h' = ff1 * (1 - sigma) + sigma * ff2``;
* ``"no_gate"``: ``h' = ff1 + sigma * ff2``;
* ``"pure"`` (direct solution of the liquid ODE, one head ``f = a W_1 + b_1``):
  ``h' = -A * exp(-dt * (|w_tau| + |f|)) * f + A``.

The four head kernels are stored side by side in one ``kernel`` variable (column
blocks ``ff1 | ff2 | time_a | time_b``) so a step is one matmul.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import keras
import numpy as np

from kx import ops as kx_ops
from kx.ncps.activations import get_activation, lecun_tanh, serialize_activation
from kx.ncps.base import ContinuousCell
from kx.ncps.wirings import Wiring, as_wiring
from kx.ops import checks, matmul, tanh
from kx.ops.cfc import CFC_MODES
from kx.ops.types import Activation, Config, Shape, Tensor

__all__ = ["CfCCell", "WiredCfCCell", "fold_gate"]
# backbone activations whose derivative kx.ops.cfc_recurrence writes out
_FUSED_ACTIVATIONS = {
    lecun_tanh: "tanh",  # its scales go into the weights (CfCCell._weights)
    keras.activations.tanh: "tanh",
    keras.activations.sigmoid: "sigmoid",
    keras.activations.relu: "relu",
    keras.activations.linear: "linear",
}


def _glorot(fan_in, fan_out):
    limit = float(np.sqrt(6.0 / (fan_in + fan_out)))
    return keras.initializers.RandomUniform(-limit, limit)


def fold_gate(weights: Tensor, units: int, mode: str) -> Tensor:
    """Head columns ``ff1 | ff2 | time_a | time_b`` -> ``ff1 | ff2 | time_b - time_a``.

    With an elapsed time of 1 the gate reads only ``t_b - t_a``, which is linear
    in the weights: folding its two heads into one saves a quarter of the
    per-step head matmul. ``"pure"`` mode has one head and is returned as is.

    Example:

    >>> import numpy as np
    >>> w = np.arange(8.0).reshape(1, 8)  # units=2: ff1 | ff2 | time_a | time_b
    >>> keras.ops.convert_to_numpy(fold_gate(w, 2, "default")).tolist()
    [[0.0, 1.0, 2.0, 3.0, 2.0, 2.0]]
    >>> fold_gate(w, 2, "pure") is w
    True
    """
    if mode == "pure":
        return weights
    ff = weights[..., : 2 * units]
    gate = weights[..., 3 * units :] - weights[..., 2 * units : 3 * units]
    return keras.ops.concatenate([ff, gate], axis=-1)


class _HeadBlock:
    """Weights of one CfC block over ``n_in`` inputs and ``units`` neurons."""

    def __init__(
        self,
        cell: ContinuousCell,
        prefix,
        n_in,
        units,
        mode: Literal["default", "no_gate", "pure"],
        mask: Tensor | None,
        recurrent=True,
    ) -> None:
        heads = 1 if mode == "pure" else 4
        self.units, self.mode, self.n_in = units, mode, n_in
        rows = n_in + units if recurrent else n_in
        self.mask = None
        if mask is not None:
            self.mask = np.tile(np.abs(np.asarray(mask, dtype="float32")), (1, heads))
        self.kernel = cell.add_weight(
            name=f"{prefix}kernel",
            shape=(rows, heads * units),
            initializer=_glorot(rows, units),
        )
        self.bias = cell.add_weight(
            name=f"{prefix}bias", shape=(heads * units,), initializer="zeros"
        )
        self.w_tau = self.big_a = None
        if mode == "pure":
            self.w_tau = cell.add_weight(
                name=f"{prefix}w_tau", shape=(units,), initializer="zeros"
            )
            self.big_a = cell.add_weight(
                name=f"{prefix}A", shape=(units,), initializer="ones"
            )

    def read(self, timed=True):
        """``(input kernel, recurrent kernel, bias, w_tau, A)``, gate heads folded
        (:func:`fold_gate`) when ``timed`` is False."""
        kernel = keras.ops.convert_to_tensor(self.kernel)
        bias = keras.ops.convert_to_tensor(self.bias)
        if self.mask is not None:
            kernel = kernel * keras.ops.convert_to_tensor(self.mask, kernel.dtype)
        if not timed:
            kernel = fold_gate(kernel, self.units, self.mode)
            bias = fold_gate(bias, self.units, self.mode)
        return (
            kernel[: self.n_in],
            kernel[self.n_in :],
            bias,
            None if self.w_tau is None else keras.ops.convert_to_tensor(self.w_tau),
            None if self.big_a is None else keras.ops.convert_to_tensor(self.big_a),
        )


@keras.saving.register_keras_serializable(package="kx")
class CfCCell(ContinuousCell):
    """A closed-form continuous-time cell (one step).

    See the module docstring for the equations of each mode. Wrap it in
    :class:`kx.ncps.CfC` (which also takes elapsed times) or in a plain
    ``keras.layers.RNN`` (elapsed time 1 per step).

    Args:
        units: number of neurons (state size).
        mode: "default", "no_gate" or "pure".
        activation: activation of the backbone layers: "lecun_tanh" (default),
            any keras activation name, or a callable.
        backbone_units: width of each backbone layer.
        backbone_layers: number of backbone layers (0: the heads read
            ``[x, h]`` directly).
        backbone_dropout: dropout rate on the backbone output during training;
            one mask per sequence (the same for every step).
        sparsity_mask: optional 0/1 array of shape ``(features + units, units)``
            masking the head kernels (rows: inputs then state); needs
            ``backbone_layers=0``.
        seed: seed of the dropout masks; None draws it from Keras's global seed
            (``keras.utils.set_random_seed``), so every cell draws its own masks.
        **kwargs: base layer arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``(batch, features)``, or ``(x, t)`` with ``t`` of shape
            ``(batch, 1)``.
        states: a list with the state of shape ``(batch, units)``.
        training: whether dropout is active.

    Example:

    >>> import keras
    >>> rnn = keras.layers.RNN(CfCCell(8, backbone_units=16))
    >>> tuple(rnn(keras.ops.ones((2, 5, 3))).shape)
    (2, 8)
    """

    def __init__(
        self,
        units: int,
        mode: Literal["default", "no_gate", "pure"] = "default",
        activation: Activation = "lecun_tanh",
        backbone_units: int = 128,
        backbone_layers: int = 1,
        backbone_dropout: float = 0.1,
        sparsity_mask: Tensor | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        units = checks.positive_int(units, "units", owner)
        backbone_units = checks.positive_int(
            backbone_units, "backbone_units", owner, allow_zero=True
        )
        backbone_layers = checks.positive_int(
            backbone_layers, "backbone_layers", owner, allow_zero=True
        )
        if backbone_layers > 0 and backbone_units < 1:
            checks.fail(
                owner,
                "backbone_units",
                backbone_units,
                "a positive int when backbone_layers > 0",
            )
        backbone_dropout = checks.rate(backbone_dropout, "backbone_dropout", owner)
        if sparsity_mask is not None:
            if backbone_layers > 0:
                raise ValueError(
                    f"{owner}: `sparsity_mask` needs backbone_layers=0 (it masks "
                    "the kernel over [x, h]); got backbone_layers="
                    f"{backbone_layers}."
                )
            sparsity_mask = np.asarray(sparsity_mask)
            if sparsity_mask.ndim != 2 or sparsity_mask.shape[1] != units:
                raise ValueError(
                    f"{owner}: `sparsity_mask` must have shape (features + units, "
                    f"units) = (?, {units}); got shape {sparsity_mask.shape}."
                )
        self.units = units
        self.mode = checks.one_of(mode, "mode", CFC_MODES, owner)
        self.activation = activation
        self._activation = get_activation(activation, owner)
        self.backbone_units = backbone_units
        self.backbone_layers = backbone_layers
        self.backbone_dropout = backbone_dropout
        self.sparsity_mask = sparsity_mask
        self.seed = checks.optional(checks.positive_int, seed, "seed", owner, True)
        self.state_size = units
        self.output_size = units
        if self.backbone_layers and self.backbone_dropout > 0:
            # seed None: drawn from the global seed (keras.utils.set_random_seed)
            self.seed_generator = keras.random.SeedGenerator(self.seed)

    def build(self, input_shape: Shape) -> None:
        n_in = self.input_features(input_shape)
        if (
            self.sparsity_mask is not None
            and self.sparsity_mask.shape[0] != n_in + self.units
        ):
            raise ValueError(
                "`sparsity_mask` must have shape (features + units, units) = "
                f"({n_in + self.units}, {self.units}); got "
                f"{self.sparsity_mask.shape}."
            )
        self._backbone = []
        width = n_in + self.units
        for i in range(self.backbone_layers):
            kernel = self.add_weight(
                name=f"backbone{i}_kernel",
                shape=(width, self.backbone_units),
                initializer="glorot_uniform",
            )
            bias = self.add_weight(
                name=f"backbone{i}_bias",
                shape=(self.backbone_units,),
                initializer="zeros",
            )
            self._backbone.append((kernel, bias))
            width = self.backbone_units
        self._heads = _HeadBlock(
            self,
            "",
            n_in if not self.backbone_layers else width,
            self.units,
            self.mode,
            self.sparsity_mask,
            recurrent=not self.backbone_layers,
        )
        self._n_in = n_in

    def _weights(self, x, training, timed):
        """The step's tensors, read once per sequence.

        ``(x_kernel, recurrent_kernel, first_bias, backbone, kernel, bias, w_tau,
        big_a, dropout_mask, activation)``: the first layer reads
        ``x @ x_kernel + first_bias + h @ recurrent_kernel``; with a backbone,
        ``backbone`` holds its further layers and ``kernel``/``bias`` the heads
        (None without a backbone, where the first layer is the heads).
        """
        kx_, kh, bias, w_tau, big_a = self._heads.read(timed)
        if not self.backbone_layers:
            return kx_, kh, bias, [], None, None, w_tau, big_a, None, None
        act = self._activation
        kernel = kx_  # no recurrent rows: the heads read the backbone only
        backbone = [
            (keras.ops.convert_to_tensor(k), keras.ops.convert_to_tensor(b))
            for k, b in self._backbone
        ]
        if act is lecun_tanh:
            # 1.7159 * tanh(0.666 * z): the two scales go into the weights, once
            # per sequence, so a step applies a bare tanh
            act, s_in, s_out = tanh, 0.666, 1.7159
            backbone = [
                (k * (s_in if i == 0 else s_in * s_out), b * s_in)
                for i, (k, b) in enumerate(backbone)
            ]
            kernel = kernel * s_out
        (k0, b0), rest = backbone[0], backbone[1:]
        drop = None
        if training and self.backbone_dropout > 0:
            rate = self.backbone_dropout
            keep = keras.random.uniform(
                (keras.ops.shape(x)[0], self.backbone_units),
                dtype=x.dtype,
                seed=self.seed_generator,
            )
            drop = keras.ops.cast(keep >= rate, x.dtype) / (1.0 - rate)
        k0x, k0h = k0[: self._n_in], k0[self._n_in :]
        return k0x, k0h, b0, rest, kernel, bias, w_tau, big_a, drop, act

    def step_functions(
        self, x: Tensor, training: bool | None, timed: bool = False
    ) -> Any:
        mode = self.mode
        kx_, kh, b0, rest, kernel, bias, w_tau, big_a, drop, act = self._weights(
            x, training, timed
        )

        def project(x):
            return matmul(x, kx_) + b0

        def step(p, dt, states):
            y = p + matmul(states[0], kh)
            if kernel is not None:
                a = act(y)
                for k, b in rest:
                    a = act(matmul(a, k) + b)
                if drop is not None:
                    a = a * drop
                y = matmul(a, kernel) + bias
            h = kx_ops.cfc_update(y, mode, dt, w_tau, big_a)
            return h, [h]

        return project, step

    def whole_sequence(
        self,
        x: Tensor,
        t: Tensor | None,
        initial_state: Sequence[Tensor],
        training: bool | None,
        go_backwards: bool,
    ) -> Tensor | None:
        name = "linear"  # without a backbone no activation is applied
        if self.backbone_layers:
            fused = _FUSED_ACTIVATIONS.get(self._activation)
            if fused is None:
                return None  # an activation kx.ops.cfc_recurrence does not fuse
            name = fused
        kx_, kh, b0, rest, kernel, bias, w_tau, big_a, drop, _ = self._weights(
            x, training, t is not None
        )
        return kx_ops.cfc_recurrence(
            matmul(x, kx_) + b0,
            initial_state[0],
            kh,
            kernel,
            bias,
            rest,
            mode=self.mode,
            activation=name,
            elapsed=t,
            w_tau=w_tau,
            big_a=big_a,
            dropout_mask=drop,
            go_backwards=go_backwards,
        )

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "mode": self.mode,
                "activation": serialize_activation(self.activation),
                "backbone_units": self.backbone_units,
                "backbone_layers": self.backbone_layers,
                "backbone_dropout": self.backbone_dropout,
                "sparsity_mask": None
                if self.sparsity_mask is None
                else self.sparsity_mask.tolist(),
            }
        )
        if self.seed is not None:  # only when set: ncps's configs have no seed
            config["seed"] = self.seed
        return config


@keras.saving.register_keras_serializable(package="kx")
class WiredCfCCell(ContinuousCell):
    """A CfC cell whose neurons and synapses follow a wiring.

    The wiring's layers (for an NCP: inter, command, motor neurons) are CfC
    blocks without backbone run one after another within a step: block ``i``
    reads the new state of block ``i - 1`` (block 0 reads ``x``) and its own
    previous state, through kernels masked by the wiring's synapses (on all four
    heads). The state is the blocks' states side by side; the output is the
    first ``wiring.output_dim`` neurons of the last block (the motor neurons).

    The cell builds the wiring object it is given (``cell.wiring is wiring``), as
    ncps does: after the cell is built, ``wiring.synapse_count`` and
    ``wiring.draw_graph()`` show the built graph.

    Args:
        wiring: a :class:`kx.ncps.wirings.Wiring`.
        fully_recurrent: whether each block's neurons all feed each other; if
            False, only through the wiring's synapses within the block.
        mode: "default", "no_gate" or "pure".
        activation: kept for ncps compatibility; a wired cell has no backbone.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: ``(batch, features)``, or ``(x, t)`` with ``t`` of shape
            ``(batch, 1)``.
        states: a list with the state of shape ``(batch, wiring.units)``.
        training: unused.

    Example:

    >>> import keras
    >>> from kx.ncps.wirings import AutoNCP
    >>> rnn = keras.layers.RNN(WiredCfCCell(AutoNCP(12, 2)))
    >>> tuple(rnn(keras.ops.ones((2, 5, 3))).shape)
    (2, 2)
    """

    def __init__(
        self,
        wiring: Wiring | Config,
        fully_recurrent: bool = True,
        mode: Literal["default", "no_gate", "pure"] = "default",
        activation: Activation = "lecun_tanh",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.wiring = as_wiring(wiring, "wiring", owner)
        self.fully_recurrent = checks.boolean(fully_recurrent, "fully_recurrent", owner)
        self.mode = checks.one_of(mode, "mode", CFC_MODES, owner)
        self.activation = activation
        get_activation(activation, owner)
        self.state_size = self.wiring.units
        self.output_size = self.wiring.output_dim

    def build(self, input_shape: Shape) -> None:
        n_in = self.input_features(input_shape)
        self.wiring.build(n_in)
        self._blocks, self._sizes = [], []
        previous = None
        for i in range(self.wiring.num_layers):
            neurons = self.wiring.get_neurons_of_layer(i)
            if i == 0:
                sensory = self.wiring.sensory_adjacency_matrix
                assert sensory is not None  # the wiring was built above
                inputs = sensory[:, neurons]
            else:
                rows = np.asarray(previous)
                inputs = self.wiring.adjacency_matrix[np.ix_(rows, np.asarray(neurons))]
            if self.fully_recurrent:
                recurrent = np.ones((len(neurons), len(neurons)))
            else:
                recurrent = self.wiring.adjacency_matrix[np.ix_(neurons, neurons)]
            mask = np.concatenate([inputs, recurrent], axis=0)
            self._blocks.append(
                _HeadBlock(
                    self, f"layer{i}_", inputs.shape[0], len(neurons), self.mode, mask
                )
            )
            self._sizes.append(len(neurons))
            previous = neurons

    def step_functions(
        self, x: Tensor, training: bool | None, timed: bool = False
    ) -> Any:
        blocks = [b.read(timed) for b in self._blocks]
        sizes, mode = self._sizes, self.mode
        out_dim = self.wiring.output_dim
        # the state's slice of each layer, as Python ints (keras.ops.split's torch
        # implementation fails on index lists under torch.compile)
        ends = [int(e) for e in np.cumsum(sizes)]
        bounds = list(zip([0, *ends[:-1]], ends))

        def project(x):
            kx_, _, bias, _, _ = blocks[0]
            return matmul(x, kx_) + bias

        def step(p, dt, states):
            hidden = (
                [states[0][..., a:b] for a, b in bounds] if len(bounds) > 1 else states
            )
            new = []
            for i, (kx_, kh, bias, w_tau, big_a) in enumerate(blocks):
                y = matmul(hidden[i], kh)
                if i == 0:
                    y = y + p
                else:
                    y = y + matmul(new[-1], kx_) + bias
                new.append(kx_ops.cfc_update(y, mode, dt, w_tau, big_a))
            state = keras.ops.concatenate(new, axis=-1) if len(new) > 1 else new[0]
            return new[-1][:, :out_dim], [state]

        return project, step

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "wiring": keras.saving.serialize_keras_object(self.wiring),
                "fully_recurrent": self.fully_recurrent,
                "mode": self.mode,
                "activation": serialize_activation(self.activation),
            }
        )
        return config
