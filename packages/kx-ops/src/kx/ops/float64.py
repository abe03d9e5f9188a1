"""Functions that keep float64 where ``keras.ops`` computes in float32.

Keras 3.15's ``keras.backend.result_type("float64", "float64")`` is ``"float32"``
on jax and torch, so ``keras.ops.tanh`` returns float32 for a float64 input on
jax, and ``keras.ops.matmul`` multiplies float64 operands in float32 on torch: a
float64 computation built on them silently runs part of the way in float32.
These functions give other dtypes to ``keras.ops`` unchanged and keep float64:

* :func:`tanh` through ``tanh(x) = -sign(x) expm1(-2|x|) / (2 + expm1(-2|x|))``,
  exact in float64 for small and large ``|x|`` alike;
* :func:`matmul` through ``keras.ops.einsum``, which keeps float64.

Example:

>>> import numpy as np
>>> from kx.ops import matmul, tanh
>>> x = np.array([-20.0, -1e-9, 0.0, 0.5, 3.0])
>>> y = np.asarray(tanh(x))
>>> str(y.dtype), bool(np.allclose(y, np.tanh(x), rtol=1e-15, atol=0.0))
('float64', True)
>>> str(np.asarray(matmul(np.ones((2, 3)), np.ones((3, 4)))).dtype)
'float64'
"""

from __future__ import annotations

import keras
from keras import ops

from kx.ops.types import Tensor

__all__ = ["matmul", "tanh"]


def _is_float64(x: Tensor) -> bool:
    return keras.backend.standardize_dtype(x.dtype) == "float64"


def _tensor(x: Tensor) -> Tensor:
    return x if hasattr(x, "dtype") else ops.convert_to_tensor(x)


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent that returns float64 for float64 input on every backend.

    Args:
        x: a tensor (or array) of any float dtype.

    Returns:
        ``tanh(x)`` in ``x``'s dtype.

    Example:

    >>> import numpy as np
    >>> str(np.asarray(tanh(np.zeros(2, "float64"))).dtype)
    'float64'
    """
    x = _tensor(x)
    if not _is_float64(x):
        return ops.tanh(x)
    e = ops.expm1(-2.0 * ops.abs(x))
    return -ops.sign(x) * e / (2.0 + e)


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """``keras.ops.matmul`` that multiplies float64 operands in float64.

    Args:
        a: a tensor ``(..., n, k)`` or ``(..., k)``, or a matrix ``(m, k)``.
        b: a matrix ``(k, m)``, or with a matrix ``a`` a tensor ``(..., k, n)``
            (other operands go to ``keras.ops.matmul``, whose float64 products
            run in float32 on torch).

    Returns:
        ``a @ b``; float64 when both operands are float64.

    Example:

    >>> import numpy as np
    >>> tuple(matmul(np.ones((5, 2, 3)), np.ones((3, 4))).shape)
    (5, 2, 4)
    """
    a, b = _tensor(a), _tensor(b)
    if _is_float64(a) and _is_float64(b):
        if len(b.shape) == 2:
            return ops.einsum("...k,km->...m", a, b)
        if len(a.shape) == 2:
            return ops.einsum("mk,...kn->...mn", a, b)
    return ops.matmul(a, b)
