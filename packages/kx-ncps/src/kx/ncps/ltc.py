"""The LTC layer: a liquid time-constant RNN over sequences."""

from __future__ import annotations

import keras

from kx.ncps.base import ContinuousRNN
from kx.ncps.cfc_cell import _wiring_from
from kx.ncps.ltc_cell import LTCCell, ranges_config
from kx.ncps.wirings import Wiring

__all__ = ["LTC"]


@keras.saving.register_keras_serializable(package="kx")
class LTC(ContinuousRNN):
    """A liquid time-constant RNN (Hasani et al., 2021) over an :class:`LTCCell`.

    Takes ``x`` (elapsed time 1 per step) or ``(x, t)`` with the elapsed times
    ``t`` of shape ``(batch, time, 1)``, and every ``keras.layers.RNN`` option,
    masking and ``keras.layers.Bidirectional``.

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
    >>> LTC(AutoNCP(12, 2))(keras.ops.ones((2, 5, 3))).shape
    (2, 2)
    """

    def __init__(
        self,
        units,
        mixed_memory=False,
        input_mapping="affine",
        output_mapping="affine",
        ode_unfolds=6,
        epsilon=1e-8,
        initialization_ranges=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        if isinstance(units, dict):
            units = _wiring_from(units, "units")
        if not isinstance(units, Wiring) and (
            isinstance(units, bool) or not isinstance(units, int) or units < 1
        ):
            raise ValueError(
                f"`units` must be a positive int or a Wiring, got {units!r}."
            )
        cell = LTCCell(
            units,
            input_mapping=input_mapping,
            output_mapping=output_mapping,
            ode_unfolds=ode_unfolds,
            epsilon=epsilon,
            initialization_ranges=initialization_ranges,
        )
        super().__init__(
            cell,
            units,
            mixed_memory=mixed_memory,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            zero_output_for_mask=zero_output_for_mask,
            **kwargs,
        )
        self.input_mapping = input_mapping
        self.output_mapping = output_mapping
        self.ode_unfolds = ode_unfolds
        self.epsilon = epsilon
        self.initialization_ranges = initialization_ranges

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "input_mapping": self.input_mapping,
                "output_mapping": self.output_mapping,
                "ode_unfolds": self.ode_unfolds,
                "epsilon": self.epsilon,
                "initialization_ranges": ranges_config(self.initialization_ranges),
            }
        )
        return config
