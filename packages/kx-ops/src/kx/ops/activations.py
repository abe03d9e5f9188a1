"""Activations equal to Keras's, computed faster where kx knows how.

Keras's exact gelu (``keras.activations.gelu``, the default ``"gelu"``) is
``x * erfc(-x / sqrt(2)) / 2`` on jax and tensorflow, and XLA computes ``erfc``
with an exponential per element. ``0.5 * x * (1 + erf(x / sqrt(2)))`` is the same
function, and XLA's ``erf`` is a rational polynomial: the FNO1D stack of
``benchmarks/bench_layers.py`` trains about 9% faster with it on jax and tensorflow
(benchmarks/results/roofline.md). On torch, Keras's gelu is torch's own kernel,
which is faster than the written-out formula, so it stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras

from kx.ops import _backend
from kx.ops.types import Tensor

__all__ = ["gelu", "fast_activation"]


def gelu(x: Tensor) -> Tensor:
    """The exact Gaussian error linear unit ``x * Phi(x)``, Keras's ``"gelu"``.

    Equal to ``keras.activations.gelu(x)`` within float rounding (at most
    ``1e-7 * max(1, |x|)`` in float32), in ``x``'s dtype; written with ``erf`` on
    jax and tensorflow (faster there), Keras's own elsewhere.

    Example:

    >>> import numpy as np
    >>> x = np.linspace(-4.0, 4.0, 9).astype("float32")
    >>> y = keras.ops.convert_to_numpy(gelu(x))
    >>> bool(np.allclose(y, keras.ops.convert_to_numpy(keras.activations.gelu(x)),
    ...                  atol=1e-6))
    True
    """
    x = keras.ops.convert_to_tensor(x)
    y = _backend.gelu(x)
    return keras.activations.gelu(x) if y is None else y


def fast_activation(activation: Callable[..., Any]) -> Callable[..., Any]:
    """``activation``, or a function equal to it that kx computes faster.

    Keras's exact gelu becomes :func:`gelu`; every other activation is returned
    as it is. A layer keeps (and serializes) the activation it was given, and
    calls this one.

    Example:

    >>> fast_activation(keras.activations.gelu) is gelu
    True
    >>> fast_activation(keras.activations.relu) is keras.activations.relu
    True
    """
    return gelu if activation is keras.activations.gelu else activation
