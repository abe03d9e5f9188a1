"""The base cell and base layer shared by CfC, LTC and the mixed-memory wrapper.

Time path. ``keras.layers.RNN`` reads ``sequences.shape[1]`` and slices one
tensor per step, so it cannot take the ``(x, t)`` pair of an irregularly sampled
sequence. :class:`ContinuousRNN` accepts ``(x, t)``, packs ``t`` as one more
feature after ``x`` (``concat([x, t], -1)``), and tells its cell so before the
cell is built; the cell splits the last feature off again in every step. A cell
used on its own inside a plain ``keras.layers.RNN`` sees ``x`` only and uses an
elapsed time of 1 per step. A cell called directly also accepts ``(x, t)``.

Fused steps. Each cell provides ``_prepare(x, training, timed) -> (project,
step)``. ``timed`` says whether ``step`` will get elapsed times (else ``dt`` is
None, a step of 1). ``project`` maps inputs of any leading shape to the part of
the step that does not depend on the state (it runs once over the whole sequence,
as one matmul), and ``step(p_t, dt, states)`` is the per-step math on plain
tensors, with the weights read once per sequence (no Keras layer is called inside
the loop).

Whole sequences. Without a mask and without ``unroll``, :class:`ContinuousRNN`
first asks its cell for all steps at once (``_sequence``); ``CfCCell`` answers
with :func:`kx.ops.cfc_recurrence`, whose backward is written out (weight
gradients as one product over all steps) and which tensorflow compiles with XLA.
Other cells, masks and ``unroll=True`` loop over ``step``.
"""

from __future__ import annotations

import keras
from keras.src.backend import rnn as _backend_rnn

__all__ = ["ContinuousCell", "ContinuousRNN"]


def _is_nested_shape(shape):
    return (
        isinstance(shape, list | tuple)
        and len(shape) > 0
        and isinstance(shape[0], list | tuple)
    )


class ContinuousCell(keras.layers.Layer):
    """Base of the continuous-time cells: time splitting and the fused step.

    Subclasses implement ``_prepare(x, training, timed)`` and ``build``, and call
    :meth:`_input_dim` in ``build`` to get the number of features of ``x``.

    Call arguments:
        inputs: ``x`` of shape ``(batch, features)``, or ``(x, t)`` with ``t`` of
            shape ``(batch, 1)`` (elapsed time), or, inside :class:`ContinuousRNN`
            with a time input, ``concat([x, t], -1)``.
        states: list of state tensors.
        training: whether dropout is active.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._time_packed = False

    def _set_time_packed(self, packed):
        if self.built and bool(packed) != self._time_packed:
            raise ValueError(
                "This cell was built for inputs "
                + ("with" if self._time_packed else "without")
                + " an elapsed-time input; it cannot be called "
                + ("without" if self._time_packed else "with")
                + " one."
            )
        self._time_packed = bool(packed)

    def _input_dim(self, input_shape):
        if _is_nested_shape(input_shape):
            dim = input_shape[0][-1]
        else:
            dim = input_shape[-1] - (1 if self._time_packed else 0)
        if dim is None or dim < 1:
            raise ValueError(
                f"{type(self).__name__} needs a known, positive number of input "
                f"features; got input shape {input_shape}."
            )
        return int(dim)

    def _split_time(self, inputs):
        if isinstance(inputs, list | tuple):
            x, t = inputs
            t = keras.ops.cast(keras.ops.convert_to_tensor(t), x.dtype)
            if len(t.shape) < len(x.shape):
                t = keras.ops.expand_dims(t, -1)
            return x, t
        if self._time_packed:
            return inputs[..., :-1], inputs[..., -1:]
        return inputs, None

    def _prepare(self, x, training, timed=False):
        raise NotImplementedError

    def _sequence(self, x, t, initial_state, training, go_backwards):
        """All steps at once, ``(batch, time, output)``, or None (the default):
        then :class:`ContinuousRNN` loops over :meth:`_prepare`'s step. Called
        without a mask and without ``unroll``."""
        return None

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("wiring"), dict):
            config["wiring"] = keras.saving.deserialize_keras_object(config["wiring"])
        return cls(**config)

    def call(self, inputs, states, training=False):
        x, t = self._split_time(inputs)
        project, step = self._prepare(x, training, t is not None)
        if not isinstance(states, list | tuple):
            states = [states]
        return step(project(x), t, list(states))


class ContinuousRNN(keras.layers.RNN):
    """``keras.layers.RNN`` with an elapsed-time input and a fused loop.

    Call arguments:
        sequences: ``x`` of shape ``(batch, time, features)``, or ``(x, t)`` with
            ``t`` of shape ``(batch, time, 1)``: the time elapsed at each step.
        initial_state: optional list of initial state tensors.
        mask: optional boolean ``(batch, time)`` mask.
        training: whether dropout is active.
    """

    def __init__(self, cell, units, mixed_memory=False, **kwargs):
        if mixed_memory:
            from kx.ncps.mixed_memory import MixedMemoryRNN

            cell = MixedMemoryRNN(cell)
        super().__init__(cell, **kwargs)
        cell.dtype_policy = self.dtype_policy
        self.units = units
        self.mixed_memory = bool(mixed_memory)

    def _time_shapes(self, sequences_shape):
        if not _is_nested_shape(sequences_shape):
            return sequences_shape, None
        if len(sequences_shape) != 2:
            raise ValueError(
                f"{type(self).__name__} takes `x` or `(x, t)`; got "
                f"{len(sequences_shape)} inputs of shapes {sequences_shape}."
            )
        x_shape, t_shape = (tuple(s) for s in sequences_shape)
        if len(x_shape) != 3 or len(t_shape) != 3 or t_shape[-1] != 1:
            raise ValueError(
                f"{type(self).__name__} takes `(x, t)` with x of shape (batch, time, "
                f"features) and t of shape (batch, time, 1); got x {x_shape} and "
                f"t {t_shape}."
            )
        if None not in (x_shape[1], t_shape[1]) and x_shape[1] != t_shape[1]:
            raise ValueError(
                f"`x` and `t` must have the same number of steps; got x {x_shape} "
                f"and t {t_shape}."
            )
        return x_shape, t_shape

    def build(self, sequences_shape, initial_state_shape=None):
        x_shape, t_shape = self._time_shapes(sequences_shape)
        if len(x_shape) != 3:
            raise ValueError(
                f"{type(self).__name__} takes sequences of shape (batch, time, "
                f"features); got {tuple(x_shape)}."
            )
        self.cell._set_time_packed(t_shape is not None)
        if t_shape is not None:
            x_shape = (*x_shape[:-1], x_shape[-1] + 1)
        super().build(tuple(x_shape), initial_state_shape)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        x_shape, _ = self._time_shapes(sequences_shape)
        return super().compute_output_shape(tuple(x_shape), initial_state_shape)

    def compute_mask(self, inputs, mask):
        masks = [] if mask is None else keras.tree.flatten(mask)
        masks = [m for m in masks if m is not None]
        return super().compute_mask(inputs, masks[0] if masks else None)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        has_time = isinstance(sequences, list | tuple)
        if has_time != self.cell._time_packed:
            raise ValueError(
                f"{type(self).__name__} was built for inputs "
                + ("(x, t)" if self.cell._time_packed else "x without t")
                + "; call it the same way (got "
                + ("(x, t)" if has_time else "x alone")
                + ")."
            )
        if has_time:
            x, t = sequences
            t = keras.ops.cast(t, x.dtype)
            sequences = keras.ops.concatenate([x, t], axis=-1)
        if isinstance(mask, list | tuple):
            masks = [m for m in mask if m is not None]
            mask = masks[0] if masks else None
        return super().call(sequences, initial_state, mask, training)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        x, t = self.cell._split_time(sequences)
        if not keras.tree.is_nested(initial_state):
            initial_state = [initial_state]
        if mask is None and not self.unroll:
            outputs = self.cell._sequence(
                x, t, list(initial_state), training, self.go_backwards
            )
            if outputs is not None:
                last = outputs[:, -1]
                return last, outputs, [last]
        project, step = self.cell._prepare(x, training, t is not None)
        projected = project(x)
        width = projected.shape[-1]
        if t is not None:
            projected = keras.ops.concatenate(
                [projected, keras.ops.cast(t, projected.dtype)], axis=-1
            )

        initial_state = list(initial_state)
        # With a mask, the jax loop keeps the output of a masked step from the
        # first state; carry the last output there, as the first state.
        carry_output = mask is not None
        if carry_output:
            output_size = self.cell.output_size
            first = keras.tree.flatten(initial_state)[0]
            zeros = keras.ops.zeros(
                (keras.ops.shape(first)[0], output_size), dtype=first.dtype
            )
            initial_state = [zeros, *initial_state]

        def loop_step(inputs, states):
            states = list(states)[1:] if carry_output else list(states)
            if t is None:
                out, new = step(inputs, None, states)
            else:
                out, new = step(inputs[:, :width], inputs[:, width:], states)
            return out, ([out, *new] if carry_output else new)

        last, outputs, states = _backend_rnn(
            loop_step,
            projected,
            initial_state,
            go_backwards=self.go_backwards,
            mask=mask,
            unroll=self.unroll,
            input_length=sequences.shape[1],
            zero_output_for_mask=self.zero_output_for_mask,
            return_all_outputs=self.return_sequences,
        )
        return last, outputs, (list(states)[1:] if carry_output else states)

    def get_config(self):
        config = super().get_config()
        config.pop("cell", None)
        units = self.units
        if not isinstance(units, int):
            units = keras.saving.serialize_keras_object(units)
        config.update({"units": units, "mixed_memory": self.mixed_memory})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("units"), dict):
            config["units"] = keras.saving.deserialize_keras_object(config["units"])
        return cls(**config)
