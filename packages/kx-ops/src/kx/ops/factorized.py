"""Factorized tensors: Tucker and CP ranks and reconstructions (Kossaifi et al.).

A Tucker tensor of shape ``(s_1, ..., s_K)`` is a core ``G`` of shape
``(r_1, ..., r_K)`` and one factor matrix ``U_k`` of shape ``(s_k, r_k)`` per
mode: ``W[i_1..i_K] = sum_{a_1..a_K} G[a_1..a_K] U_1[i_1, a_1] ... U_K[i_K, a_K]``.
A CP tensor of rank ``R`` is a weight vector ``lambda`` of length ``R`` and one
factor ``U_k`` of shape ``(s_k, R)`` per mode:
``W[i_1..i_K] = sum_r lambda[r] U_1[i_1, r] ... U_K[i_K, r]``.

The reconstructions take real tensors, or complex ones as ``(real, imag)``
pairs (core, weights and factors all pairs). A fractional rank is resolved as
tensorly does it, so a factorized layer has the parameter count of
neuraloperator's TFNO at the same ``rank``.
"""

from __future__ import annotations

import math
import numbers
import string
from collections.abc import Sequence

from keras import ops

from kx.ops.complex_math import complex_einsum
from kx.ops.types import Pair, Tensor

__all__ = ["cp_rank", "cp_to_tensor", "tucker_rank", "tucker_to_tensor"]

_LETTERS = string.ascii_lowercase


def _check_rank(rank, owner):
    ok = isinstance(rank, numbers.Real) and not isinstance(rank, bool)
    if ok and isinstance(rank, numbers.Integral):
        ok = rank >= 1
    elif ok:
        ok = math.isfinite(rank) and rank > 0
    if not ok:
        raise ValueError(
            f"{owner}: `rank` must be a positive float (a fraction of the dense "
            f"parameter count) or a positive int; got rank={rank!r}."
        )
    return rank


def tucker_rank(shape: Sequence[int], rank: float | Sequence[int]) -> tuple[int, ...]:
    """The Tucker rank ``(r_1, ..., r_K)`` of a tensor of ``shape``.

    Args:
        shape: the dense tensor's shape, positive ints.
        rank: a positive int (that rank on every mode), a tuple of one positive
            int per mode, or a positive float: the fraction of the dense
            parameter count to keep. For a float, ``r_k = max(1, round(c s_k))``
            with ``c`` solving ``c^K prod(s) + c sum(s_k^2) = rank prod(s)``
            (core plus factors), as in tensorly's ``validate_tucker_rank``.

    Returns:
        A tuple of ``len(shape)`` ints.

    Example:

    >>> tucker_rank((8, 8, 4), 0.5)
    (5, 5, 2)
    >>> tucker_rank((8, 8, 4), 2)
    (2, 2, 2)
    """
    shape = tuple(int(s) for s in shape)
    if isinstance(rank, list | tuple):
        if len(rank) != len(shape):
            raise ValueError(
                f"tucker_rank: `rank` must have one entry per mode ({len(shape)}); "
                f"got rank={rank!r}."
            )
        return tuple(int(_check_rank(r, "tucker_rank")) for r in rank)
    checked = _check_rank(rank, "tucker_rank")
    if isinstance(checked, numbers.Integral):
        return (int(checked),) * len(shape)
    total = math.prod(shape)
    squares = sum(s * s for s in shape)

    def excess(c):
        return total * c ** len(shape) + squares * c - checked * total

    # excess is increasing in c >= 0, negative at 0: bisect its root
    low, high = 0.0, max(float(checked), 1.0)
    for _ in range(200):
        mid = 0.5 * (low + high)
        if excess(mid) > 0:
            high = mid
        else:
            low = mid
    fraction = 0.5 * (low + high)
    # round half to even, as numpy's round
    return tuple(max(int(round(s * fraction)), 1) for s in shape)


def cp_rank(shape: Sequence[int], rank: float) -> int:
    """The CP rank ``R`` of a tensor of ``shape``.

    Args:
        shape: the dense tensor's shape, positive ints.
        rank: a positive int (the rank itself) or a positive float, the fraction
            of the dense parameter count to keep: ``R = round(rank prod(s) /
            sum(s))``, at least 1 (tensorly's ``validate_cp_rank``).

    Returns:
        An int.

    Example:

    >>> cp_rank((8, 8, 4), 0.5)
    6
    """
    shape = tuple(int(s) for s in shape)
    rank = _check_rank(rank, "cp_rank")
    if isinstance(rank, numbers.Integral):
        return int(rank)
    return max(int(round(math.prod(shape) * rank / sum(shape))), 1)


def _is_pair(value):
    return isinstance(value, list | tuple) and len(value) == 2


def _check_factors(factors, count, what):
    if not isinstance(factors, list | tuple) or len(factors) != count:
        raise ValueError(
            f"{what}: `factors` must be a list of {count} factor matrices (one per "
            f"mode); got factors={factors!r}."
        )


def tucker_to_tensor(
    core: Tensor | Pair, factors: Sequence[Tensor | Pair]
) -> Tensor | Pair:
    """The dense tensor ``core x_1 U_1 x_2 ... x_K U_K`` of a Tucker tensor.

    Args:
        core: the core, shape ``(r_1, ..., r_K)``; a real tensor or a
            ``(real, imag)`` pair.
        factors: ``K`` factor matrices, ``U_k`` of shape ``(s_k, r_k)``; real
            tensors, or ``(real, imag)`` pairs when ``core`` is one.

    Returns:
        The tensor of shape ``(s_1, ..., s_K)``: a real tensor, or a
        ``(real, imag)`` pair for a complex core.

    Example:

    >>> import numpy as np
    >>> w = tucker_to_tensor(np.ones((2, 3)), [np.ones((4, 2)), np.ones((5, 3))])
    >>> tuple(w.shape)
    (4, 5)
    """
    complex_ = _is_pair(core)
    order = len(core[0].shape if isinstance(core, tuple | list) else core.shape)
    _check_factors(factors, order, "tucker_to_tensor")
    ranks = _LETTERS[:order]
    sizes = _LETTERS[order : 2 * order]
    if not complex_:
        subscripts = ",".join([ranks] + [s + r for s, r in zip(sizes, ranks)])
        return ops.einsum(f"{subscripts}->{sizes}", core, *factors)
    # complex: one mode at a time (complex_einsum takes two operands)
    tensor = core
    current = list(ranks)
    for k, factor in enumerate(factors):
        before = "".join(current)
        current[k] = sizes[k]
        after = "".join(current)
        subscripts = f"{before},{sizes[k]}{ranks[k]}->{after}"
        tensor = complex_einsum(subscripts, tensor, factor)
    return tensor


def cp_to_tensor(
    weights: Tensor | Pair, factors: Sequence[Tensor | Pair]
) -> Tensor | Pair:
    """The dense tensor ``sum_r weights[r] U_1[:, r] o ... o U_K[:, r]``.

    Args:
        weights: the ``(R,)`` weight vector; a real tensor or a ``(real, imag)``
            pair.
        factors: factor matrices ``U_k`` of shape ``(s_k, R)``, one per mode; real
            tensors, or ``(real, imag)`` pairs when ``weights`` is one.

    Returns:
        The tensor of shape ``(s_1, ..., s_K)``: a real tensor, or a
        ``(real, imag)`` pair for complex weights.

    Example:

    >>> import numpy as np
    >>> w = cp_to_tensor(np.ones((3,)), [np.ones((4, 3)), np.ones((5, 3))])
    >>> tuple(w.shape)
    (4, 5)
    """
    complex_ = _is_pair(weights)
    if not isinstance(factors, list | tuple) or not factors:
        raise ValueError(
            "cp_to_tensor: `factors` must be a non-empty list of factor matrices; "
            f"got factors={factors!r}."
        )
    order = len(factors)
    sizes = _LETTERS[:order]
    if not complex_:
        subscripts = ",".join(["z"] + [s + "z" for s in sizes])
        return ops.einsum(f"{subscripts}->{sizes}", weights, *factors)
    tensor = weights
    done = ""
    for k, factor in enumerate(factors):
        last = k == order - 1
        out = done + sizes[k] + ("" if last else "z")
        tensor = complex_einsum(f"{done}z,{sizes[k]}z->{out}", tensor, factor)
        done += sizes[k]
    return tensor
