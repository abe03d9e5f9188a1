"""The CfC layer: a closed-form continuous-time RNN over sequences."""

from __future__ import annotations

import keras

from kx.ncps.activations import serialize_activation
from kx.ncps.base import ContinuousRNN
from kx.ncps.cfc_cell import CfCCell, WiredCfCCell, _wiring_from
from kx.ncps.wirings import Wiring

__all__ = ["CfC"]


@keras.saving.register_keras_serializable(package="kx")
class CfC(ContinuousRNN):
    """A closed-form continuous-time RNN (Hasani et al., 2022).

    ``units`` an int gives a :class:`CfCCell` with a backbone; a
    :class:`~kx.ncps.wirings.Wiring` gives a :class:`WiredCfCCell` (no backbone).
    The layer takes ``x`` (elapsed time 1 per step) or ``(x, t)`` with the
    elapsed times ``t`` of shape ``(batch, time, 1)``, and every
    ``keras.layers.RNN`` option, masking and ``keras.layers.Bidirectional``.

    Args:
        units: number of neurons, or a wiring.
        mixed_memory: wrap the cell in :class:`MixedMemoryRNN`.
        mode: "default", "no_gate" or "pure" (see :class:`CfCCell`).
        activation: backbone activation, default "lecun_tanh".
        backbone_units: backbone width (default 128; not with a wiring).
        backbone_layers: backbone depth (default 1; not with a wiring).
        backbone_dropout: backbone dropout (default 0.0; not with a wiring).
        fully_recurrent: with a wiring, whether the neurons of each wiring layer
            all feed each other (see :class:`WiredCfCCell`).
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
        training: whether dropout is active.

    Example:

    >>> import keras
    >>> from kx.ncps.wirings import AutoNCP
    >>> CfC(8, backbone_units=16)(keras.ops.ones((2, 5, 3))).shape
    (2, 8)
    >>> layer = CfC(AutoNCP(12, 2), return_sequences=True)
    >>> layer(keras.ops.ones((2, 5, 3))).shape
    (2, 5, 2)
    """

    def __init__(
        self,
        units,
        mixed_memory=False,
        mode="default",
        activation="lecun_tanh",
        backbone_units=None,
        backbone_layers=None,
        backbone_dropout=None,
        fully_recurrent=True,
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
        if isinstance(units, Wiring):
            for name, value in (
                ("backbone_units", backbone_units),
                ("backbone_layers", backbone_layers),
                ("backbone_dropout", backbone_dropout),
            ):
                if value is not None:
                    raise ValueError(
                        f"`{name}` cannot be used when `units` is a wiring; got "
                        f"{name}={value!r}."
                    )
            cell = WiredCfCCell(
                units, fully_recurrent=fully_recurrent, mode=mode, activation=activation
            )
        else:
            if not fully_recurrent:
                raise ValueError(
                    "`fully_recurrent=False` needs `units` to be a wiring; got "
                    f"units={units!r}."
                )
            cell = CfCCell(
                units,
                mode=mode,
                activation=activation,
                backbone_units=128 if backbone_units is None else backbone_units,
                backbone_layers=1 if backbone_layers is None else backbone_layers,
                backbone_dropout=0.0 if backbone_dropout is None else backbone_dropout,
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
        self.mode = mode
        self.activation = activation
        self.backbone_units = backbone_units
        self.backbone_layers = backbone_layers
        self.backbone_dropout = backbone_dropout
        self.fully_recurrent = bool(fully_recurrent)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "mode": self.mode,
                "activation": serialize_activation(self.activation),
                "backbone_units": self.backbone_units,
                "backbone_layers": self.backbone_layers,
                "backbone_dropout": self.backbone_dropout,
                "fully_recurrent": self.fully_recurrent,
            }
        )
        return config
