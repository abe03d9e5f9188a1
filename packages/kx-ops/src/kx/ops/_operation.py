"""Symbolic support: run a kx.ops function on :class:`keras.KerasTensor` inputs;
dtype names and compute dtypes."""

from __future__ import annotations

import functools
from typing import Any

import keras

_DTYPE_NAMES: dict[Any, str] = {}


def dtype_name(dtype):
    """``keras.backend.standardize_dtype``, memoized (it is on every call's path)."""
    try:
        return _DTYPE_NAMES[dtype]
    except KeyError:
        name = _DTYPE_NAMES[dtype] = keras.backend.standardize_dtype(dtype)
        return name
    except TypeError:  # an unhashable dtype object
        return keras.backend.standardize_dtype(dtype)


def is_symbolic(*tensors):
    """True when any of ``tensors`` is a :class:`keras.KerasTensor`."""
    return any(isinstance(t, keras.KerasTensor) for t in tensors)


class PairOperation(keras.Operation):
    """A kx.ops function as a Keras operation, so it can be a functional-model node.

    Args:
        function: the eager function, called as ``function(*tensors, **options)``.
        spec: a function of the same arguments on KerasTensors that returns the
            output KerasTensor(s), shapes with None dims included.
        **options: the non-tensor arguments of both.
    """

    def __init__(self, function, spec, **options):
        super().__init__(name=function.__name__.strip("_"))
        self.function = function
        self.spec = spec
        self.options = options

    def call(self, *tensors):
        return self.function(*tensors, **self.options)

    def compute_output_spec(self, *tensors):
        return self.spec(*tensors, **self.options)


def memoized(function):
    """Cache ``function``'s results by its (hashable) arguments.

    A plain dict, not ``functools.lru_cache``, which ``torch.compile`` warns
    about and traces through.
    """
    cache = {}

    @functools.wraps(function)
    def wrapper(*args):
        try:
            return cache[args]
        except KeyError:
            value = cache[args] = function(*args)
            return value

    return wrapper


def dispatch(function, spec, tensors, **options):
    """Call ``function``; as a graph node when any tensor is symbolic."""
    if is_symbolic(*tensors):
        return PairOperation(function, spec, **options)(*tensors)
    return function(*tensors, **options)


def compute_dtype(dtype):
    """float16/bfloat16 are computed in float32; float32/float64 as they are."""
    dtype = dtype_name(dtype)
    return "float32" if dtype in ("float16", "bfloat16") else dtype


def to_compute(*tensors):
    """Cast ``tensors`` to their compute dtype; return them and the input dtype."""
    dtype = dtype_name(tensors[0].dtype)
    target = compute_dtype(dtype)
    if target != dtype:
        tensors = tuple(keras.ops.cast(t, target) for t in tensors)
    return tensors, dtype


def to_dtype(tensors, dtype):
    """Cast a tuple of ``tensors`` back to ``dtype`` where it differs."""
    return tuple(
        t if dtype_name(t.dtype) == dtype else keras.ops.cast(t, dtype) for t in tensors
    )
