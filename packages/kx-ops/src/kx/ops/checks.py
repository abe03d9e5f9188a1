"""Argument checks shared by every kx package.

Each check returns the (normalised) value or raises a ``ValueError`` in one format:
the class (``owner``), the argument, what it got and what it accepts::

    CfCCell: `units` must be a positive int; got units=0.

kx-layers, kx-ncps, kx-blocks and kx-vision validate their constructor and build
arguments with these functions, so every kx class reports bad input the same way.

Example:

>>> from kx.ops import checks
>>> checks.positive_int(3, "units", "MyLayer")
3
>>> checks.int_tuple(2, 3, "patch_size", "MyLayer")
(2, 2, 2)
>>> try:
...     checks.one_of("bn", "norm", ("LN", "BN"), "MyLayer")
... except ValueError as error:
...     print(error)
MyLayer: `norm` must be one of ['LN', 'BN']; got norm='bn'.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any

import keras

__all__ = [
    "a_layer",
    "boolean",
    "check_rank",
    "data_format",
    "fail",
    "int_tuple",
    "number",
    "one_of",
    "optional",
    "positive_int",
    "rate",
]


def fail(owner: str, name: str, value: Any, accepted: str) -> None:
    """Raise the shared error: ``owner: `name` must be accepted; got name=value.``"""
    raise ValueError(f"{owner}: `{name}` must be {accepted}; got {name}={value!r}.")


def _is_int(value: Any) -> bool:
    # Python and numpy integers, not bools
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def positive_int(value: Any, name: str, owner: str, allow_zero: bool = False) -> int:
    """``value`` as an int >= 1 (>= 0 with ``allow_zero``)."""
    low = 0 if allow_zero else 1
    if not _is_int(value) or value < low:
        fail(
            owner, name, value, "a non-negative int" if allow_zero else "a positive int"
        )
    return int(value)


def int_tuple(
    value: Any, n: int, name: str, owner: str, allow_zero: bool = False
) -> tuple[int, ...]:
    """An int or ``n`` ints (each positive, or >= 0) as a tuple of ``n`` ints."""
    if _is_int(value):
        value = (value,) * n
    if not isinstance(value, list | tuple) or len(value) != n:
        fail(owner, name, value, f"an int or a tuple of {n} ints")
    for v in value:
        positive_int(v, name, owner, allow_zero=allow_zero)
    return tuple(int(v) for v in value)


def number(
    value: Any,
    name: str,
    owner: str,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A real number in the interval from ``low`` to ``high`` (ends open or closed)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok:
        v = float(value)
        ok = not math.isnan(v)
        ok = ok and (v > low if low_open else v >= low)
        ok = ok and (v < high if high_open else v <= high)
    if not ok:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        fail(owner, name, value, f"a number in {left}{low:g}, {high:g}{right}")
    return float(value)


def rate(value: Any, name: str, owner: str) -> float:
    """A dropout-like rate in ``[0, 1)``."""
    return number(value, name, owner, 0.0, 1.0, high_open=True)


def boolean(value: Any, name: str, owner: str) -> bool:
    """A Python or numpy bool (not an int that happens to be 0 or 1)."""
    if not isinstance(value, bool) and type(value).__name__ != "bool_":
        fail(owner, name, value, "True or False")
    return bool(value)


def one_of(value: Any, name: str, choices: Iterable[Any], owner: str) -> Any:
    """``value`` if it is one of ``choices``."""
    choices = list(choices)
    if value not in choices:
        fail(owner, name, value, f"one of {choices}")
    return value


def optional(check: Callable[..., Any], value: Any, *args: Any, **kwargs: Any) -> Any:
    """None as is; anything else through ``check(value, *args, **kwargs)``."""
    return None if value is None else check(value, *args, **kwargs)


def check_rank(rank: Any, owner: str, ranks: Iterable[int] = (1, 2, 3)) -> int:
    """The spatial rank of an N-d layer: one of ``ranks``."""
    ranks = tuple(ranks)
    if not _is_int(rank) or rank not in ranks:
        names = [str(r) for r in ranks]
        accepted = names[0] if len(names) == 1 else ", ".join(names[:-1])
        fail(
            owner,
            "rank",
            rank,
            accepted + ("" if len(names) == 1 else f" or {names[-1]}"),
        )
    return int(rank)


def data_format(value: Any, owner: str) -> str:
    """``"channels_last"`` or ``"channels_first"``; None reads Keras's setting."""
    if value is None:
        return keras.config.image_data_format()
    if value not in ("channels_last", "channels_first"):
        fail(owner, "data_format", value, "'channels_last', 'channels_first' or None")
    return value


def a_layer(value: Any, name: str, owner: str, allow_none: bool = False) -> Any:
    """A ``keras.layers.Layer`` (or None with ``allow_none``)."""
    if value is None and allow_none:
        return None
    if not isinstance(value, keras.layers.Layer):
        accepted = "a keras Layer or None" if allow_none else "a keras Layer"
        raise ValueError(
            f"{owner}: `{name}` must be {accepted}; got {name}={value!r} "
            f"of type {type(value).__name__}."
        )
    return value
