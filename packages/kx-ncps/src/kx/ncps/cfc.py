"""The CfC layer: a closed-form continuous-time RNN over sequences."""

from __future__ import annotations

from typing import Any, Literal

import keras

from kx.ncps.base import ContinuousRNN
from kx.ncps.cfc_cell import CfCCell, WiredCfCCell
from kx.ncps.mixed_memory import MixedMemoryRNN
from kx.ncps.wirings import Wiring, as_wiring
from kx.ops import checks
from kx.ops.types import Activation, Config, Layer, Tensor

__all__ = ["CfC"]


@keras.saving.register_keras_serializable(package="kx")
class CfC(ContinuousRNN):
    """A closed-form continuous-time RNN (Hasani et al., 2022).

    ``units`` an int gives a :class:`CfCCell` with a backbone; a
    :class:`~kx.ncps.wirings.Wiring` gives a :class:`WiredCfCCell` (no backbone).
    The layer takes ``x`` (elapsed time 1 per step) or ``(x, t)`` with the
    elapsed times ``t`` of shape ``(batch, time, 1)``, and every
    ``keras.layers.RNN`` option, masking and ``keras.layers.Bidirectional``.

    As in ncps, the layer builds the wiring object it is given, and its config
    has ncps's keys: the cell's arguments, ``keras.layers.RNN``'s (with the
    serialized cell under ``"cell"``), ``units``, ``mixed_memory`` and
    ``fully_recurrent``.

    Args:
        units: number of neurons, or a wiring.
        mixed_memory: wrap the cell in :class:`MixedMemoryRNN`.
        mode: "default", "no_gate" or "pure" (see :class:`CfCCell`).
        activation: backbone activation, default "lecun_tanh".
        backbone_units: backbone width (default 128; not with a wiring).
        backbone_layers: backbone depth (default 1; not with a wiring).
        backbone_dropout: backbone dropout (default 0.0; not with a wiring).
        sparsity_mask: optional 0/1 mask of the head kernels (see
            :class:`CfCCell`; needs ``backbone_layers=0``; not with a wiring).
        fully_recurrent: with a wiring, whether the neurons of each wiring layer
            all feed each other (see :class:`WiredCfCCell`).
        return_sequences: return every step's output.
        return_state: also return the final states.
        go_backwards: process the sequence from the end.
        stateful: keep the final state as the next batch's initial state.
        unroll: unroll the loop.
        zero_output_for_mask: output zeros at masked steps.
        seed: seed of the backbone's dropout masks; None draws from Keras's
            global seed (``keras.utils.set_random_seed``).
        **kwargs: base layer arguments.

    Call arguments:
        sequences: ``(batch, time, features)``, or ``(x, t)``.
        initial_state: optional list of initial states.
        mask: optional boolean mask ``(batch, time)``.
        training: whether dropout is active.

    Example:

    >>> import keras
    >>> from kx.ncps.wirings import AutoNCP
    >>> tuple(CfC(8, backbone_units=16)(keras.ops.ones((2, 5, 3))).shape)
    (2, 8)
    >>> wiring = AutoNCP(12, 2)
    >>> layer = CfC(wiring, return_sequences=True)
    >>> tuple(layer(keras.ops.ones((2, 5, 3))).shape)
    (2, 5, 2)
    >>> wiring.is_built(), wiring.input_dim
    (True, 3)
    """

    def __init__(
        self,
        units: int | Wiring | Config,
        mixed_memory: bool = False,
        mode: Literal["default", "no_gate", "pure"] = "default",
        activation: Activation = "lecun_tanh",
        backbone_units: int | None = None,
        backbone_layers: int | None = None,
        backbone_dropout: float | None = None,
        sparsity_mask: Tensor | None = None,
        fully_recurrent: bool = True,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        if isinstance(units, dict):
            units = as_wiring(units, "units", owner)
        if isinstance(units, Wiring):
            for name, value in (
                ("backbone_units", backbone_units),
                ("backbone_layers", backbone_layers),
                ("backbone_dropout", backbone_dropout),
                ("sparsity_mask", sparsity_mask),
            ):
                if value is not None:
                    checks.fail(owner, name, value, "None when `units` is a wiring")
            cell = WiredCfCCell(
                units, fully_recurrent=fully_recurrent, mode=mode, activation=activation
            )
        else:
            if not fully_recurrent:
                checks.fail(
                    owner,
                    "fully_recurrent",
                    fully_recurrent,
                    "True unless `units` is a wiring",
                )
            cell = CfCCell(
                checks.positive_int(units, "units", owner),
                mode=mode,
                activation=activation,
                backbone_units=128 if backbone_units is None else backbone_units,
                backbone_layers=1 if backbone_layers is None else backbone_layers,
                backbone_dropout=0.0 if backbone_dropout is None else backbone_dropout,
                sparsity_mask=sparsity_mask,
                seed=seed,
            )
        self.mixed_memory = checks.boolean(mixed_memory, "mixed_memory", owner)
        super().__init__(
            MixedMemoryRNN(cell) if self.mixed_memory else cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            zero_output_for_mask=zero_output_for_mask,
            **kwargs,
        )
        self._name_cells()
        self.units = units
        self.mode = mode
        self.activation = activation
        self.backbone_units = backbone_units
        self.backbone_layers = backbone_layers
        self.backbone_dropout = backbone_dropout
        self.sparsity_mask = sparsity_mask
        self.fully_recurrent = bool(fully_recurrent)
        self.seed = seed

    @property
    def core_cell(self) -> Layer:
        """The CfC cell (inside the mixed-memory wrapper when there is one)."""
        return self.cell.rnn_cell if self.mixed_memory else self.cell

    def get_config(self) -> Config:
        # ncps's layout: the cell's arguments, then keras.layers.RNN's (the
        # serialized cell under "cell"), then units, mixed_memory, fully_recurrent
        config = {**self.core_cell.get_config(), **super().get_config()}
        units = self.units
        if isinstance(units, Wiring):
            units = keras.saving.serialize_keras_object(units)
        config["units"] = units
        config["mixed_memory"] = self.mixed_memory
        config["fully_recurrent"] = self.fully_recurrent
        return config
