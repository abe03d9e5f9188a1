"""A loop over the leading axis of tensors, on each backend's own loop.

``keras.ops.scan`` on tensorflow requires the per-step outputs to have the carry's
structure, shapes and dtypes; the recurrent layers of kx need outputs of their own
shape (an RNN's carry holds its states, its outputs only the output). ``scan``
here has jax's semantics without that limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import keras

from kx.ops import _backend

__all__ = ["scan"]


def scan(
    f: Callable[[Any, tuple[Any, ...]], tuple[Any, tuple[Any, ...]]],
    init: Any,
    xs: Sequence[Any],
    reverse: bool = False,
) -> tuple[Any, tuple[Any, ...]]:
    """Run ``carry, ys_t = f(carry, xs_t)`` over the leading axis of ``xs``.

    Like ``jax.lax.scan`` with ``xs`` and the per-step outputs ``ys_t`` tuples
    of tensors: jax runs ``jax.lax.scan``, tensorflow a ``tf.while_loop`` over
    TensorArrays in graph mode (a Python loop when eager), torch a Python loop.
    Differentiable on every backend.

    Args:
        f: ``f(carry, xs_t) -> (carry, ys_t)``; ``xs_t`` is the tuple of the
            ``xs`` at step ``t``, ``ys_t`` a tuple of tensors of any shapes; the
            carry keeps its structure, shapes and dtypes.
        init: the first carry (a tensor or a nested structure of tensors).
        xs: a sequence of tensors with the same leading (step) dimension.
        reverse: run from the last step to the first (``ys`` keep the order of
            ``xs``).

    Returns:
        ``(last carry, ys)`` with ``ys`` the tuple of the stacked ``ys_t``.

    Example:

    >>> import keras
    >>> import numpy as np
    >>> from kx.ops.loops import scan
    >>> def step(total, x):
    ...     return total + x[0], (total * 2.0,)
    >>> ones = np.ones((3, 2), "float32")
    >>> last, (ys,) = scan(step, np.zeros(2, "float32"), [ones])
    >>> keras.ops.convert_to_numpy(last).tolist()
    [3.0, 3.0]
    >>> keras.ops.convert_to_numpy(ys)[:, 0].tolist()
    [0.0, 2.0, 4.0]
    """
    if not callable(f):
        raise ValueError(f"scan: `f` must be callable; got f={f!r}.")
    xs = tuple(keras.ops.convert_to_tensor(x) for x in xs)
    if not xs:
        raise ValueError("scan: `xs` must hold at least one tensor; got xs=().")
    init = keras.tree.map_structure(keras.ops.convert_to_tensor, init)
    return _backend.scan(f, init, xs, bool(reverse))
