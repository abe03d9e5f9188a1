"""The base cell and base layer shared by CfC, LTC and the mixed-memory wrapper.

The cell protocol. Every kx.ncps cell is a :class:`ContinuousCell` and offers
:class:`ContinuousRNN` (and :class:`~kx.ncps.MixedMemoryRNN`, which wraps a cell)
three public methods:

* :meth:`ContinuousCell.step_functions` ``(x, training, timed) -> (project,
  step)``: ``project`` maps inputs of any leading shape to the part of a step that
  does not depend on the state (it runs once over the whole sequence, as one
  matmul), and ``step(p_t, dt, states) -> (output, new_states)`` is the per-step
  math on plain tensors, with the weights read once per sequence. ``timed`` says
  whether ``step`` will get elapsed times (else ``dt`` is None: a step of 1).
* :meth:`ContinuousCell.whole_sequence`: all steps at once, or None (the
  default). ``CfCCell`` answers with :func:`kx.ops.cfc_recurrence`, whose
  backward is written out and which tensorflow compiles with XLA.
* :meth:`ContinuousCell.split_time`: ``x`` and the elapsed time ``t`` from the
  cell's inputs.

Time path. ``keras.layers.RNN`` slices one tensor per step, so it cannot take the
``(x, t)`` pair of an irregularly sampled sequence. :class:`ContinuousRNN`
accepts ``(x, t)`` and hands ``t`` to the cell's step beside ``x``; a cell used
on its own inside a plain ``keras.layers.RNN`` sees ``x`` only and uses an
elapsed time of 1 per step; a cell called directly also accepts ``(x, t)``.

The loop. :meth:`ContinuousRNN.call` is written on public API only: without a
mask and without ``unroll`` it asks the cell for the whole sequence first; else
(or when the cell answers None) it runs the cell's ``step`` with
:func:`kx.ops.scan` (a Python loop with ``unroll=True``), applying the mask as
Keras's own RNN does: a masked step keeps the previous states and repeats the
previous output (zeros with ``zero_output_for_mask``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras

import kx.ops
from kx.ncps.wirings import as_wiring
from kx.ops import checks
from kx.ops.types import Config, Shape, Tensor

__all__ = ["ContinuousCell", "ContinuousRNN"]


def _is_nested_shape(shape: Any) -> bool:
    return (
        isinstance(shape, list | tuple)
        and len(shape) > 0
        and isinstance(shape[0], list | tuple)
    )


def _check_features(owner: str, name: str, built: int | None, shape: Any) -> None:
    """``x`` of ``shape`` has the ``built`` features of the first call (if known)."""
    features = shape[-1]
    if built is not None and features is not None and features != built:
        raise ValueError(
            f"{owner}: `{name}` must have {built} features (the count it was built "
            f"on); got x of shape {tuple(shape)}."
        )


class ContinuousCell(keras.layers.Layer):
    """Base of the continuous-time cells: time splitting and the cell protocol.

    Subclasses implement :meth:`step_functions` and ``build``, call
    :meth:`input_features` in ``build`` to get the number of features of ``x``,
    and may implement :meth:`whole_sequence`.

    Call arguments:
        inputs: ``x`` of shape ``(batch, features)``, or ``(x, t)`` with ``t`` of
            shape ``(batch, 1)`` (elapsed time).
        states: list of state tensors.
        training: whether dropout is active.

    Example:

    >>> import numpy as np
    >>> from kx.ncps import CfCCell
    >>> cell = CfCCell(4)
    >>> isinstance(cell, ContinuousCell)
    True
    >>> cell.input_features((None, 3))
    3
    >>> x, t = cell.split_time((np.ones((2, 3), "float32"), np.ones(2, "float32")))
    >>> tuple(t.shape)
    (2, 1)
    """

    _built_features: int | None = None  # the features of x when built

    def input_features(self, input_shape: Any) -> int:
        """The number of features of ``x`` in an input of ``input_shape``: one
        step, ``(batch, features)`` (or ``(x, t)``), with known features."""
        owner = type(self).__name__
        x_shape = tuple(
            input_shape[0] if _is_nested_shape(input_shape) else input_shape
        )
        if len(x_shape) != 2:
            raise ValueError(
                f"{owner}: `inputs` must be one step's x of shape (batch, "
                "features), or (x, t) (inside keras.layers.RNN: sequences of shape "
                f"(batch, time, features)); got x of shape {x_shape} per step."
            )
        dim = x_shape[-1]
        if dim is None or dim < 1:
            raise ValueError(
                f"{owner} needs a known, positive number of input "
                f"features; got input shape {input_shape}."
            )
        self._built_features = int(dim)
        return int(dim)

    def split_time(self, inputs: Any) -> tuple[Any, Any]:
        """``(x, t)`` from the cell's inputs; ``t`` is None without elapsed times."""
        if isinstance(inputs, list | tuple):
            x, t = inputs
            t = keras.ops.cast(keras.ops.convert_to_tensor(t), x.dtype)
            if len(t.shape) < len(x.shape):
                t = keras.ops.expand_dims(t, -1)
            return x, t
        return inputs, None

    def step_functions(
        self, x: Tensor, training: bool | None, timed: bool = False
    ) -> Any:
        """``(project, step)`` for the inputs ``x`` (see the module docstring)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement step_functions()."
        )

    def whole_sequence(
        self,
        x: Any,
        t: Any,
        initial_state: Sequence[Tensor],
        training: bool | None,
        go_backwards: bool,
    ) -> Any:
        """All steps at once, ``(batch, time, output)``, or None (the default):
        then :class:`ContinuousRNN` loops over :meth:`step_functions`' step.
        Called without a mask and without ``unroll``; the cell's state after the
        last step must equal its last output."""
        return None

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> ContinuousCell:
        config = dict(config)
        if isinstance(config.get("wiring"), dict):
            config["wiring"] = keras.saving.deserialize_keras_object(config["wiring"])
        return cls(**config)

    def call(self, inputs: Any, states: Any, training: bool = False) -> Any:
        x, t = self.split_time(inputs)
        _check_features(type(self).__name__, "inputs", self._built_features, x.shape)
        project, step = self.step_functions(x, training, t is not None)
        if not isinstance(states, list | tuple):
            states = [states]
        return step(project(x), t, list(states))


class ContinuousRNN(keras.layers.RNN):
    """``keras.layers.RNN`` over a :class:`ContinuousCell`, with elapsed times.

    Takes every ``keras.layers.RNN`` argument; its loop is its own (public Keras
    API only, see the module docstring).

    Args:
        cell: a :class:`ContinuousCell` (or a
            :class:`~kx.ncps.MixedMemoryRNN`).
        **kwargs: the arguments of ``keras.layers.RNN``.

    Call arguments:
        sequences: ``x`` of shape ``(batch, time, features)``, or ``(x, t)`` with
            ``t`` of shape ``(batch, time, 1)``: the time elapsed at each step.
        initial_state: optional list of initial state tensors.
        mask: optional boolean ``(batch, time)`` mask.
        training: whether dropout is active.

    Example:

    >>> import keras
    >>> from kx.ncps import CfCCell
    >>> rnn = ContinuousRNN(CfCCell(4, backbone_units=8), return_sequences=True)
    >>> tuple(rnn(keras.ops.ones((2, 5, 3))).shape)
    (2, 5, 4)
    """

    def __init__(self, cell: ContinuousCell, **kwargs: Any) -> None:
        if not isinstance(cell, ContinuousCell):
            raise ValueError(
                f"{type(self).__name__}: `cell` must be a kx.ncps cell (a "
                f"ContinuousCell); got cell={cell!r} of type {type(cell).__name__}."
            )
        super().__init__(cell, **kwargs)
        cell.dtype_policy = self.dtype_policy

    def _name_cells(self):
        """Name the cells this layer made after the layer, so that a config
        round trip (which makes them anew) keeps their names."""
        self.cell.name = f"{self.name}_cell"
        inner = getattr(self.cell, "rnn_cell", None)
        if inner is not None:
            self.cell.name = f"{self.name}_mixed_memory"
            inner.name = f"{self.name}_cell"

    @classmethod
    def from_config(cls, config: Config) -> ContinuousRNN:
        if "units" not in config:  # a ContinuousRNN over any cell: Keras's way
            return super().from_config(config)
        # CfC and LTC (ncps's layout): the cell is rebuilt from the arguments;
        # "wiring" repeats "units"; kx 0.1.0 files have neither "cell" nor "wiring"
        config = dict(config)
        config.pop("cell", None)
        config.pop("wiring", None)
        units = config.pop("units")
        if isinstance(units, dict):
            units = as_wiring(units, "units", cls.__name__)
        return cls(units, **config)

    def _time_shapes(self, sequences_shape):
        if not _is_nested_shape(sequences_shape):
            return sequences_shape, None
        name = type(self).__name__
        if len(sequences_shape) != 2:
            raise ValueError(
                f"{name} takes `x` or `(x, t)`; got "
                f"{len(sequences_shape)} inputs of shapes {sequences_shape}."
            )
        x_shape, t_shape = (tuple(s) for s in sequences_shape)
        if len(x_shape) != 3 or len(t_shape) != 3 or t_shape[-1] != 1:
            raise ValueError(
                f"{name} takes `(x, t)` with x of shape (batch, time, "
                f"features) and t of shape (batch, time, 1); got x {x_shape} and "
                f"t {t_shape}."
            )
        if None not in (x_shape[1], t_shape[1]) and x_shape[1] != t_shape[1]:
            raise ValueError(
                f"{name}: `x` and `t` must have the same number of steps; got x "
                f"{x_shape} and t {t_shape}."
            )
        return x_shape, t_shape

    def build(
        self,
        sequences_shape: Shape | Sequence[Shape] | None = None,
        initial_state_shape: Shape | Sequence[Shape] | None = None,
    ) -> None:
        owner = type(self).__name__
        if sequences_shape is None:  # Keras builds without a shape for None
            raise ValueError(
                f"{owner}: `sequences` must be a tensor of shape (batch, time, "
                "features) or an (x, t) pair of tensors; got sequences=None."
            )
        x_shape, t_shape = self._time_shapes(sequences_shape)
        if len(x_shape) != 3:
            raise ValueError(
                f"{owner} takes sequences of shape (batch, time, "
                f"features); got {tuple(x_shape)}."
            )
        self._time_input = t_shape is not None  # calls must match
        self._sequence_features = x_shape[-1]  # calls must match
        super().build(tuple(x_shape), initial_state_shape)

    def compute_output_shape(
        self,
        sequences_shape: Shape | Sequence[Shape],
        initial_state_shape: Shape | Sequence[Shape] | None = None,
    ) -> Shape | list[Shape]:
        x_shape, _ = self._time_shapes(sequences_shape)
        return super().compute_output_shape(tuple(x_shape), initial_state_shape)

    def compute_mask(self, inputs: Tensor, mask: Tensor | None) -> Tensor | None:
        masks = [] if mask is None else keras.tree.flatten(mask)
        masks = [m for m in masks if m is not None]
        return super().compute_mask(inputs, masks[0] if masks else None)

    def call(
        self,
        sequences: Tensor | Sequence[Tensor],
        initial_state: Tensor | Sequence[Tensor] | None = None,
        mask: Tensor | Sequence[Tensor | None] | None = None,
        training: bool = False,
    ) -> Tensor | list[Tensor]:
        ops = keras.ops
        name = type(self).__name__
        has_time = isinstance(sequences, list | tuple)
        if has_time != self._time_input:
            raise ValueError(
                f"{name} was built for inputs "
                + ("(x, t)" if self._time_input else "x without t")
                + "; call it the same way (got "
                + ("(x, t)" if has_time else "x alone")
                + ")."
            )
        if has_time:
            x, t = sequences
            t = ops.cast(t, x.dtype)
        else:
            x, t = sequences, None
        _check_features(name, "sequences", self._sequence_features, x.shape)
        checks.nonempty_axes(ops.shape(x), (1,), name, "sequences")
        if isinstance(mask, list | tuple):
            masks = [m for m in mask if m is not None]
            mask = masks[0] if masks else None
        if self.unroll and x.shape[1] is None:
            raise ValueError(
                f"{name}: `unroll=True` needs a known number of time steps; got "
                f"sequences of shape {tuple(x.shape)}. Give the time dimension in "
                "the model's `keras.Input`."
            )
        if initial_state is None:
            if self.stateful:
                # copies: the state variables are assigned after the loop
                initial_state = [ops.copy(s) for s in keras.tree.flatten(self.states)]
            else:
                initial_state = self.get_initial_state(ops.shape(x)[0])
        initial_state = [
            ops.cast(s, self.cell.compute_dtype)
            for s in keras.tree.flatten(initial_state)
        ]
        last, outputs, states = self._loop(x, t, initial_state, mask, training)
        last = ops.cast(last, self.compute_dtype)
        outputs = ops.cast(outputs, self.compute_dtype)
        states = [ops.cast(s, self.compute_dtype) for s in states]
        if self.stateful:
            for variable, state in zip(keras.tree.flatten(self.states), states):
                variable.assign(ops.cast(state, variable.dtype))
        output = outputs if self.return_sequences else last
        if self.return_state:
            return output, *states
        return output

    def _loop(self, x, t, initial_state, mask, training):
        """``(last output, outputs (batch, time, ...), final states)``."""
        ops = keras.ops
        if mask is None and not self.unroll:
            outputs = self.cell.whole_sequence(
                x, t, list(initial_state), training, self.go_backwards
            )
            if outputs is not None:
                last = outputs[:, -1]
                return last, outputs, [last]
        project, step = self.cell.step_functions(x, training, t is not None)
        streams = [project(x)]
        if t is not None:
            streams.append(t)
        if mask is not None:
            streams.append(ops.cast(mask, "bool"))
        streams = [ops.moveaxis(s, 1, 0) for s in streams]  # time first
        if self.go_backwards:
            streams = [ops.flip(s, axis=0) for s in streams]
        first = initial_state[0]
        no_output = ops.zeros(
            (ops.shape(first)[0], self.cell.output_size), dtype=first.dtype
        )
        zero_output = self.zero_output_for_mask

        def body(carry, inputs):
            previous, states = carry[0], list(carry[1:])
            dt = inputs[1] if t is not None else None
            output, new = step(inputs[0], dt, states)
            if mask is None:
                return (output, *new), (output,)
            keep = ops.expand_dims(inputs[-1], -1)
            new = [ops.where(keep, n, s) for n, s in zip(new, states)]
            carried = ops.where(keep, output, previous)
            emitted = carried
            if zero_output:
                emitted = ops.where(keep, output, ops.zeros_like(output))
            return (carried, *new), (emitted,)

        carry = (no_output, *initial_state)
        if self.unroll:
            emitted = []
            for i in range(x.shape[1]):
                carry, (y,) = body(carry, [s[i] for s in streams])
                emitted.append(y)
            outputs = ops.stack(emitted, axis=0)
        else:
            carry, (outputs,) = kx.ops.scan(body, carry, streams)
        outputs = ops.moveaxis(outputs, 0, 1)
        return carry[0], outputs, list(carry[1:])
