"""``scan`` as a Python loop, for the backends that run eagerly (torch, eager
tensorflow)."""

from __future__ import annotations

__all__ = ["python_scan"]


def python_scan(f, init, xs, reverse, stack):
    """``scan`` over the first axis of the tensors ``xs``; ``stack`` joins the
    per-step outputs."""
    steps = range(xs[0].shape[0])
    carry, ys = init, [None] * len(steps)
    for t in reversed(steps) if reverse else steps:
        carry, ys[t] = f(carry, tuple(x[t] for x in xs))
    return carry, tuple(stack(y) for y in zip(*ys))
