"""Type aliases for the annotations of the kx family's public API.

Keras and the backends ship no type information, so a tensor is typed as
:data:`Tensor` (an alias of ``Any``: a backend tensor, a numpy array, or a
keras symbolic tensor); the other aliases name the argument forms that recur
across kx's signatures.

Example:

>>> from kx.ops.types import IntOrTuple, Shape
>>> def patch_grid(size: Shape, patch: IntOrTuple) -> Shape: ...
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeAlias

__all__ = [
    "Activation",
    "Axes",
    "Config",
    "DType",
    "FloatOrTuple",
    "Initializer",
    "IntOrTuple",
    "Layer",
    "Lengths",
    "Norm",
    "Pair",
    "Shape",
    "Tensor",
]

Tensor: TypeAlias = Any
"""A backend tensor, a numpy array or a keras symbolic tensor."""

Shape: TypeAlias = tuple[int | None, ...]
"""A tensor shape; ``None`` is an unknown size."""

IntOrTuple: TypeAlias = int | Sequence[int]
"""One int for every axis, or one per axis."""

FloatOrTuple: TypeAlias = float | Sequence[float]
"""One number for every axis, or one per axis."""

DType: TypeAlias = Any
"""A dtype name (``"float32"``), a numpy dtype, or a ``keras.DTypePolicy``."""

Activation: TypeAlias = str | Callable[..., Any] | None
"""An activation name, a callable, or ``None`` for the identity."""

Initializer: TypeAlias = Any
"""A keras initializer, its name or its config (also regularizers, constraints)."""

Layer: TypeAlias = Any
"""A ``keras.layers.Layer`` (typed ``Any``: keras ships no type information)."""

Config: TypeAlias = dict[str, Any]
"""A ``get_config`` dictionary."""

Pair: TypeAlias = tuple[Tensor, Tensor]
"""A complex tensor as its ``(real, imag)`` parts (kx.ops' complex functions)."""

Axes: TypeAlias = int | Sequence[int]
"""One axis or several (the ``axes`` of the FFT functions)."""

Lengths: TypeAlias = int | Sequence[int | Tensor | None]
"""FFT lengths ``s``: ints, or tensors/None for dynamic lengths."""

Norm: TypeAlias = Literal["backward", "ortho", "forward"]
"""An FFT normalization, as in ``numpy.fft``."""
