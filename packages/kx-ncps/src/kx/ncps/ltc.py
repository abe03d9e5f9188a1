"""The LTC layer: a liquid time-constant RNN over sequences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import keras

from kx.ncps.base import ContinuousRNN
from kx.ncps.ltc_cell import LTCCell
from kx.ncps.mixed_memory import MixedMemoryRNN
from kx.ncps.wirings import FullyConnected, Wiring, as_wiring
from kx.ops import checks
from kx.ops.types import Config, Layer

__all__ = ["LTC"]


@keras.saving.register_keras_serializable(package="kx")
class LTC(ContinuousRNN):
    """A liquid time-constant RNN (Hasani et al., 2021) over an :class:`LTCCell`.

    Takes ``x`` (elapsed time 1 per step) or ``(x, t)`` with the elapsed times
    ``t`` of shape ``(batch, time, 1)``, and every ``keras.layers.RNN`` option,
    masking and ``keras.layers.Bidirectional``.

    As in ncps, the layer builds the wiring object it is given (an int gives a
    :class:`~kx.ncps.wirings.FullyConnected` wiring), and its config has ncps's
    keys: the cell's arguments, ``keras.layers.RNN``'s (with the serialized cell
    under ``"cell"``), ``units`` (the wiring) and ``mixed_memory``.

    Args:
        units: number of neurons (a fully connected wiring), or a wiring.
        mixed_memory: wrap the cell in :class:`MixedMemoryRNN`.
        input_mapping: "affine", "linear" or None (see :class:`LTCCell`).
        output_mapping: "affine", "linear" or None.
        ode_unfolds: solver steps per time step.
        epsilon: added to the solver's denominator.
        initialization_ranges: dict of ``(min, max)`` initialization ranges.
        return_sequences: return every step's output.
        return_state: also return the final states.
        go_backwards: process the sequence from the end.
        stateful: keep the final state as the next batch's initial state.
        unroll: unroll the loop.
        zero_output_for_mask: output zeros at masked steps.
        **kwargs: base layer arguments.

    Call arguments:
        sequences: ``(batch, time, features)``, or ``(x, t)``.
        initial_state: optional list of initial states.
        mask: optional boolean mask ``(batch, time)``.
        training: unused by the cell.

    Example:

    >>> import keras
    >>> from kx.ncps.wirings import AutoNCP
    >>> tuple(LTC(AutoNCP(12, 2))(keras.ops.ones((2, 5, 3))).shape)
    (2, 2)
    """

    def __init__(
        self,
        units: int | Wiring | Config,
        mixed_memory: bool = False,
        input_mapping: Literal["affine", "linear"] | None = "affine",
        output_mapping: Literal["affine", "linear"] | None = "affine",
        ode_unfolds: int = 6,
        epsilon: float = 1e-8,
        initialization_ranges: Mapping[str, tuple[float, float] | float] | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        if isinstance(units, dict):
            units = as_wiring(units, "units", owner)
        if not isinstance(units, Wiring):
            units = FullyConnected(checks.positive_int(units, "units", owner))
        cell = LTCCell(
            units,
            input_mapping=input_mapping,
            output_mapping=output_mapping,
            ode_unfolds=ode_unfolds,
            epsilon=epsilon,
            initialization_ranges=initialization_ranges,
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
        self.input_mapping = input_mapping
        self.output_mapping = output_mapping
        self.ode_unfolds = ode_unfolds
        self.epsilon = epsilon
        self.initialization_ranges = initialization_ranges

    @property
    def core_cell(self) -> Layer:
        """The LTC cell (inside the mixed-memory wrapper when there is one)."""
        return self.cell.rnn_cell if self.mixed_memory else self.cell

    def get_config(self) -> Config:
        # ncps's layout: the cell's arguments, then keras.layers.RNN's (the
        # serialized cell under "cell"), then units (the wiring) and mixed_memory
        config = {**self.core_cell.get_config(), **super().get_config()}
        config["units"] = keras.saving.serialize_keras_object(self.units)
        config["mixed_memory"] = self.mixed_memory
        return config
