"""The closed-form continuous-time (CfC) state update and recurrence.

Hasani et al., "Closed-form continuous-time neural networks", Nature Machine
Intelligence 4, 2022. :func:`cfc_update` is one step's new state from its head
pre-activations (what kx.ncps's step loops call); :func:`cfc_recurrence` runs all
the steps of a sequence as one function with its backward written out, so that the
weight gradients are formed once per sequence (one large matmul each) instead of
once per step as autodiff through the loop does, and so that a backend can
compile both loops (tensorflow runs them as XLA clusters in graph mode).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import keras

from kx.ops import _backend
from kx.ops._operation import dispatch, is_symbolic
from kx.ops.checks import one_of
from kx.ops.float64 import matmul, tanh
from kx.ops.types import Tensor

Mode = Literal["default", "no_gate", "pure"]

__all__ = ["CFC_MODES", "cfc_recurrence", "cfc_update"]

#: The CfC modes (Hasani et al. 2022): the gated default, without the gate, and
#: the direct solution of the liquid ODE. kx.ncps checks its ``mode`` against this.
CFC_MODES = ("default", "no_gate", "pure")
_ACTIVATIONS = {
    "tanh": (tanh, lambda a: 1.0 - a * a),
    "sigmoid": (keras.ops.sigmoid, lambda a: a * (1.0 - a)),
    "relu": (keras.ops.relu, lambda a: keras.ops.cast(a > 0, a.dtype)),
    "linear": (None, None),
}


def cfc_recurrence(
    inputs: Tensor,
    initial_state: Tensor,
    recurrent_kernel: Tensor,
    kernel: Tensor | None = None,
    bias: Tensor | None = None,
    backbone: Sequence[tuple[Tensor, Tensor]] = (),
    *,
    mode: Mode = "default",
    activation: str = "tanh",
    elapsed: Tensor | None = None,
    w_tau: Tensor | None = None,
    big_a: Tensor | None = None,
    dropout_mask: Tensor | None = None,
    go_backwards: bool = False,
) -> Tensor:
    """All steps of a CfC network; the state after each step.

    With ``U`` neurons, the state ``h`` (starting at ``initial_state``) and
    ``p_t = inputs[:, t]`` (the part of the first layer that does not depend on
    the state, e.g. ``x_t W_x + b``), each step computes
    ``z = p_t + h @ recurrent_kernel`` and then:

    * with a backbone (``kernel`` given): ``a = act(z)``, then
      ``a = act(a @ k_i + b_i)`` for each ``(k_i, b_i)`` in ``backbone``,
      ``a = a * dropout_mask`` if given, and the heads ``y = a @ kernel + bias``;
    * without (``kernel`` None): the heads ``y = z``.

    The heads are ``ff1 | ff2 | g`` (three blocks of ``U`` columns) without
    ``elapsed``, where ``g`` is the gate's pre-activation ``t_b - t_a`` for a step
    of 1, and ``ff1 | ff2 | t_a | t_b`` with ``elapsed``, where the gate reads
    ``t_b - t_a * dt``; in "pure" mode one block ``f``. The new state, with
    ``s = sigmoid(gate)`` and ``dt`` the step's elapsed time (1 without):

    * "default": ``h = tanh(ff1) * (1 - s) + s * tanh(ff2)``;
    * "no_gate": ``h = tanh(ff1) + s * tanh(ff2)``;
    * "pure": ``h = -big_a * exp(-dt * (|w_tau| + |f|)) * f + big_a``.

    Gradients flow to every input but ``dropout_mask``, which is treated as a
    constant. The backward is written out: it walks the steps in reverse once and
    forms each weight's gradient as one product over all steps.

    Args:
        inputs: ``p``, shape ``(batch, time, n)``.
        initial_state: ``(batch, U)``.
        recurrent_kernel: ``(U, n)``.
        kernel: the head kernel ``(width, heads * U)`` after the backbone, or
            None for no backbone (then ``n`` must be ``heads * U``).
        bias: ``(heads * U,)``, given exactly when ``kernel`` is.
        backbone: ``(kernel, bias)`` pairs of the backbone layers after the
            first; only with ``kernel``.
        mode: "default", "no_gate" or "pure".
        activation: the backbone's activation: "tanh", "sigmoid", "relu" or
            "linear".
        elapsed: optional elapsed time per step, ``(batch, time, 1)``.
        w_tau: ``(U,)``, "pure" mode only (required there).
        big_a: ``(U,)``, "pure" mode only (required there).
        dropout_mask: optional ``(batch, width)`` multiplier of the backbone
            output (the same for every step); only with ``kernel``.
        go_backwards: process the sequence from its last step to its first; the
            outputs are then in processing order, as ``keras.layers.RNN`` gives.

    Returns:
        The state after each step, ``(batch, time, U)``.

    Example:

    >>> import numpy as np
    >>> p = np.zeros((2, 5, 24), "float32")
    >>> h = cfc_recurrence(p, np.zeros((2, 8), "float32"),
    ...                    np.zeros((8, 24), "float32"))
    >>> tuple(h.shape)
    (2, 5, 8)
    """
    one_of(activation, "activation", _ACTIVATIONS, "cfc_recurrence")
    backbone = [tuple(pair) for pair in backbone]
    if any(len(pair) != 2 for pair in backbone):
        raise ValueError(
            "cfc_recurrence: `backbone` must be a sequence of (kernel, bias) pairs."
        )
    if (kernel is None) != (bias is None):
        raise ValueError(
            "cfc_recurrence: `kernel` and `bias` must be given together (or neither)."
        )
    if kernel is None and (backbone or dropout_mask is not None):
        raise ValueError(
            "cfc_recurrence: `backbone` and `dropout_mask` need a backbone: pass "
            "`kernel` and `bias`."
        )
    pure = _check_mode(mode, w_tau, big_a, "cfc_recurrence")
    optional = (kernel, bias, elapsed, w_tau, big_a, dropout_mask)
    tensors = [inputs, initial_state, recurrent_kernel]
    tensors += [x for pair in backbone for x in pair]
    tensors += [x for x in optional if x is not None]
    if not is_symbolic(*tensors):
        tensors = [keras.ops.convert_to_tensor(x) for x in tensors]
    layout = _Layout(
        len(backbone),
        kernel is not None,
        elapsed is not None,
        pure,
        dropout_mask is not None,
    )
    _check_shapes(layout, mode, layout.unpack(tensors))
    return dispatch(
        _cfc_recurrence,
        _cfc_spec,
        tensors,
        layout=layout,
        mode=mode,
        activation=activation,
        go_backwards=bool(go_backwards),
    )


def cfc_update(
    heads: Tensor,
    mode: Mode = "default",
    elapsed: Tensor | None = None,
    w_tau: Tensor | None = None,
    big_a: Tensor | None = None,
) -> Tensor:
    """One CfC step's new state from its stacked head pre-activations.

    ``heads`` holds ``ff1 | ff2 | g`` without ``elapsed`` (``g = t_b - t_a``, the
    gate's pre-activation for a step of 1), ``ff1 | ff2 | t_a | t_b`` with it, and
    one block ``f`` in "pure" mode, each of ``U`` columns; the new state is the
    one :func:`cfc_recurrence` computes per step (see there).

    Args:
        heads: ``(..., blocks * U)``.
        mode: "default", "no_gate" or "pure".
        elapsed: optional elapsed time, broadcastable to ``(..., 1)``.
        w_tau: ``(U,)``, "pure" mode only (required there).
        big_a: ``(U,)``, "pure" mode only (required there).

    Returns:
        The new state, ``(..., U)``.

    Example:

    >>> import numpy as np
    >>> tuple(cfc_update(np.zeros((2, 12), "float32")).shape)
    (2, 4)
    """
    pure = _check_mode(mode, w_tau, big_a, "cfc_update")
    blocks = 1 if pure else 3 if elapsed is None else 4
    width = heads.shape[-1]
    if width is None or width % blocks:
        raise ValueError(
            f"cfc_update: `heads` must have {blocks} blocks of units on its last axis "
            "for mode "
            f"{mode!r} "
            + ("with" if elapsed is not None else "without")
            + f" `elapsed`; got shape {tuple(heads.shape)}."
        )
    for name, x in (("w_tau", w_tau), ("big_a", big_a)):
        if x is not None and tuple(x.shape) != (width,):
            raise ValueError(
                f"cfc_update: `{name}` must have shape ({width},); got shape "
                f"{tuple(x.shape)}."
            )
    tau = keras.ops.abs(w_tau) if pure else None
    return _update(heads, elapsed, mode, tau, big_a)[0]


def _check_mode(mode, w_tau, big_a, owner):
    """Whether ``mode`` is "pure", after checking it and its two parameters."""
    one_of(mode, "mode", CFC_MODES, owner)
    pure = mode == "pure"
    if pure != (w_tau is not None) or pure != (big_a is not None):
        raise ValueError(
            f"{owner}: `w_tau` and `big_a` must be given in 'pure' mode and only "
            "there; got "
            f"mode={mode!r}, w_tau {'given' if w_tau is not None else 'None'}, "
            f"big_a {'given' if big_a is not None else 'None'}."
        )
    return pure


def _update(y, dt, mode, tau, big_a):
    """The new state from the heads ``y`` (elapsed time ``dt`` or None, ``tau =
    |w_tau|``), and what the backward of :func:`cfc_recurrence` needs of the step:
    ``(f,)`` in "pure" mode, else ``(tanh(ff1), tanh(ff2), s)`` and, with ``dt``,
    ``t_a``."""
    ops = keras.ops
    # the step's tensors on the left: a KerasTensor ``y`` is symbolic support
    if mode == "pure":
        rate = ops.abs(y) + tau
        if dt is not None:
            rate = rate * dt
        return (1.0 - ops.exp(-rate) * y) * big_a, (y,)
    # one split (its gradient is one concatenation), not a slice per head
    if dt is None:
        ff1, ff2, gate = ops.split(y, 3, axis=-1)
        saved = ()
    else:
        ff1, ff2, t_a, t_b = ops.split(y, 4, axis=-1)
        gate, saved = t_b - t_a * dt, (t_a,)
    f1, f2, s = tanh(ff1), tanh(ff2), ops.sigmoid(gate)
    h = f1 + s * (f2 - f1) if mode == "default" else f1 + s * f2
    return h, (f1, f2, s, *saved)


class _Layout:
    """Which optional tensors a call has, and how to unpack the flat list."""

    def __init__(self, layers, heads, timed, pure, dropout):
        self.layers, self.heads, self.timed = layers, heads, timed
        self.pure, self.dropout = pure, dropout
        self.at_dt = 3 + 2 * layers + 2 * heads

    def unpack(self, tensors):
        """``(p, h0, recurrent, backbone, kernel, bias, dt, w_tau, big_a, drop)``."""
        p, h0, recurrent, *rest = tensors
        backbone = [tuple(rest[2 * i : 2 * i + 2]) for i in range(self.layers)]
        rest = rest[2 * self.layers :]
        kernel = bias = dt = w_tau = big_a = drop = None
        if self.heads:
            kernel, bias, *rest = rest
        if self.timed:
            dt, *rest = rest
        if self.pure:
            w_tau, big_a, *rest = rest
        if self.dropout:
            (drop,) = rest
        return p, h0, recurrent, backbone, kernel, bias, dt, w_tau, big_a, drop


def _shape(x):
    return tuple(x.shape)


def _check_shapes(layout, mode, unpacked):
    p, h0, recurrent, backbone, kernel, bias, dt, w_tau, big_a, drop = unpacked
    if len(_shape(p)) != 3 or p.shape[-1] is None:
        raise ValueError(
            "cfc_recurrence: `inputs` must have shape (batch, time, n) with a known "
            "n; got shape "
            f"{_shape(p)}."
        )
    if len(_shape(h0)) != 2 or h0.shape[-1] is None:
        raise ValueError(
            "cfc_recurrence: `initial_state` must have shape (batch, units) with "
            "known units; got "
            f"shape {_shape(h0)}."
        )
    if dt is not None and (len(_shape(dt)) != 3 or dt.shape[-1] != 1):
        raise ValueError(
            "cfc_recurrence: `elapsed` must have shape (batch, time, 1); got shape "
            f"{_shape(dt)}."
        )
    units, n = h0.shape[-1], p.shape[-1]
    heads = (1 if mode == "pure" else 4 if layout.timed else 3) * units
    if _shape(recurrent) != (units, n):
        raise ValueError(
            "cfc_recurrence: `recurrent_kernel` must have shape (units, n) = "
            f"({units}, {n}); got "
            f"shape {_shape(recurrent)}."
        )
    width = n
    if kernel is None and n != heads:
        raise ValueError(
            "cfc_recurrence: without `kernel`, `inputs` holds the heads: its last "
            "axis must be "
            f"{heads} for mode {mode!r} "
            + ("with" if layout.timed else "without")
            + f" `elapsed` and {units} units; got {n}."
        )
    for i, (k, b) in enumerate(backbone):
        if len(_shape(k)) != 2 or k.shape[0] != width or _shape(b) != (k.shape[1],):
            raise ValueError(
                f"cfc_recurrence: `backbone[{i}]` must be a kernel of shape ({width}, "
                "m) and a bias "
                f"of shape (m,); got shapes {_shape(k)} and {_shape(b)}."
            )
        width = k.shape[1]
    if kernel is not None and (
        _shape(kernel) != (width, heads) or _shape(bias) != (heads,)
    ):
        raise ValueError(
            f"cfc_recurrence: `kernel` must have shape ({width}, {heads}) and `bias` "
            f"({heads},) for "
            f"mode {mode!r} "
            + ("with" if layout.timed else "without")
            + f" `elapsed` and {units} units; got {_shape(kernel)} and "
            f"{_shape(bias)}."
        )
    for name, x in (("w_tau", w_tau), ("big_a", big_a)):
        if x is not None and _shape(x) != (units,):
            raise ValueError(
                f"cfc_recurrence: `{name}` must have shape ({units},); got shape "
                f"{_shape(x)}."
            )
    if drop is not None and (len(_shape(drop)) != 2 or drop.shape[-1] != width):
        raise ValueError(
            f"cfc_recurrence: `dropout_mask` must have shape (batch, {width}); got "
            "shape "
            f"{_shape(drop)}."
        )


def _cfc_spec(p, h0, *tensors, layout, mode, activation, go_backwards):
    return keras.KerasTensor((p.shape[0], p.shape[1], h0.shape[-1]), p.dtype)


def _cfc_recurrence(*tensors, layout, mode, activation, go_backwards):
    dtype = tensors[0].dtype
    tensors = [keras.ops.cast(x, dtype) for x in tensors]
    # time-major, in processing order
    timed = [0, layout.at_dt] if layout.timed else [0]
    for i in timed:
        tensors[i] = keras.ops.transpose(tensors[i], (1, 0, 2))
        if go_backwards:
            tensors[i] = keras.ops.flip(tensors[i], 0)
    forward, backward = _loops(layout, mode, activation)
    outputs = _backend.with_gradient(forward, backward)(*tensors)
    return keras.ops.transpose(outputs, (1, 0, 2))


def _loops(layout, mode, activation):
    """The forward and backward of the recurrence on time-major tensors.

    ``forward(*tensors) -> (outputs, saved)``; ``backward(tensors, saved, grad)``
    gives one gradient per tensor (None for the dropout mask). Scanned values are
    flat tuples of tensors.
    """
    ops = keras.ops
    act, act_grad = _ACTIVATIONS[activation]
    pure, timed, gated = layout.pure, layout.timed, mode == "default"
    n_acts = layout.layers + 1 if layout.heads else 0  # activations saved per step
    n_heads = 1 if pure else 3 + timed  # head values saved per step

    def forward(*tensors):
        p, h0, recurrent, backbone, kernel, bias, dt, w_tau, big_a, drop = (
            layout.unpack(tensors)
        )
        tau = ops.abs(w_tau) if pure else None

        def step(h, xs):
            p_t, dt_t = xs if timed else (xs[0], None)
            y = p_t + matmul(h, recurrent)
            acts = ()
            if kernel is not None:
                a = y if act is None else act(y)
                acts = (a,)
                for k, b in backbone:
                    a = matmul(a, k) + b
                    a = a if act is None else act(a)
                    acts += (a,)
                y = matmul(a if drop is None else a * drop, kernel) + bias
            h, heads = _update(y, dt_t, mode, tau, big_a)
            return h, (h, *acts, *heads)

        _, saved = _backend.scan(step, h0, (p, dt) if timed else (p,), False)
        return saved[0], saved

    def backward(tensors, saved, grad):
        p, h0, recurrent, backbone, kernel, bias, dt, w_tau, big_a, drop = (
            layout.unpack(tensors)
        )
        outputs, acts, heads = saved[0], saved[1 : 1 + n_acts], saved[1 + n_acts :]
        recurrent_t = ops.transpose(recurrent)
        kernels_t = [ops.transpose(k) for k, _ in backbone]
        kernel_t = None if kernel is None else ops.transpose(kernel)
        tau = ops.abs(w_tau) if pure else None

        def heads_grad(g, head, dt_t):
            """``d loss / d y`` and the step's parts of the other gradients."""
            if pure:
                (f,) = head
                rate = tau + ops.abs(f)
                step_dt = 1.0 if dt_t is None else dt_t
                ge = g * ops.exp(-rate * step_dt)
                dy = -big_a * ge * (1.0 - step_dt * ops.abs(f))
                # d big_a, and d w_tau / (big_a sign(w_tau))
                extra = (g - ge * f, ge * f * step_dt)
                if timed:
                    extra += (ops.sum(big_a * ge * f * rate, -1, keepdims=True),)
                return dy, extra
            f1, f2, s = head[:3]
            if gated:
                d1 = g * (1.0 - s) * (1.0 - f1 * f1)
                dgate = g * (f2 - f1) * s * (1.0 - s)
            else:
                d1 = g * (1.0 - f1 * f1)
                dgate = g * f2 * s * (1.0 - s)
            d2 = g * s * (1.0 - f2 * f2)
            if timed:
                dy = ops.concatenate([d1, d2, -dgate * dt_t, dgate], axis=-1)
                return dy, (ops.sum(-dgate * head[3], -1, keepdims=True),)
            return ops.concatenate([d1, d2, dgate], axis=-1), ()

        def step(dh, xs):
            g_t, acts_t = xs[0], xs[1 : 1 + n_acts]
            head_t = xs[1 + n_acts : 1 + n_acts + n_heads]
            dt_t = xs[-1] if timed else None
            dy, extra = heads_grad(dh + g_t, head_t, dt_t)
            dz, dzs = dy, ()
            if kernel is not None:
                da = matmul(dy, kernel_t)
                if drop is not None:
                    da = da * drop
                for i in range(n_acts - 1, -1, -1):
                    dz = da if act_grad is None else da * act_grad(acts_t[i])
                    dzs = (dz, *dzs)
                    if i:
                        da = matmul(dz, kernels_t[i - 1])
                dzs = dzs[1:]
            return matmul(dz, recurrent_t), (dz, *dzs, dy, *extra)

        xs = (grad, *acts, *heads) + ((dt,) if timed else ())
        dh0, ys = _backend.scan(step, ops.zeros_like(h0), xs, True)
        n = layout.layers
        dp, dzs, dy, extra = ys[0], ys[1 : 1 + n], ys[1 + n], ys[2 + n :]

        def total(a, b):  # sum over time and batch of a^T b
            a = ops.reshape(a, (-1, a.shape[-1]))
            return matmul(ops.transpose(a), ops.reshape(b, (-1, b.shape[-1])))

        previous = ops.concatenate([h0[None], outputs[:-1]], axis=0)
        grads = [dp, dh0, total(previous, dp)]
        for i in range(layout.layers):
            grads += [total(acts[i], dzs[i]), ops.sum(dzs[i], axis=(0, 1))]
        if kernel is not None:
            last = acts[-1] if drop is None else acts[-1] * drop
            grads += [total(last, dy), ops.sum(dy, axis=(0, 1))]
        if timed:
            grads.append(extra[-1])
        if pure:
            grads.append(big_a * ops.sign(w_tau) * ops.sum(extra[1], axis=(0, 1)))
            grads.append(ops.sum(extra[0], axis=(0, 1)))
        if drop is not None:
            grads.append(None)
        return tuple(grads)

    return forward, backward
