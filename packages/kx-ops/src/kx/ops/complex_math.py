"""Complex arithmetic on ``(real, imag)`` pairs of float tensors."""

from __future__ import annotations

import string

import keras

from kx.ops import _backend
from kx.ops._operation import dispatch, to_compute, to_dtype
from kx.ops.checks import as_pair, fail
from kx.ops.types import Pair, Tensor

__all__ = ["complex_multiply", "complex_einsum", "conj", "abs"]


def complex_multiply(a: Pair, b: Pair) -> Pair:
    """Elementwise product of two ``(re, im)`` pairs, with broadcasting.

    Args:
        a: ``(re, im)`` pair.
        b: ``(re, im)`` pair, broadcastable against ``a``.

    Returns:
        The ``(re, im)`` pair of ``a * b``, in the dtype of ``a``.

    Example:

    >>> re, im = complex_multiply((1.0 * keras.ops.ones(3), keras.ops.ones(3)),
    ...                           (keras.ops.ones(3), -keras.ops.ones(3)))
    """
    (ar, ai), dtype = to_compute(*as_pair(a, "a", "complex_multiply"))
    (br, bi), _ = to_compute(*as_pair(b, "b", "complex_multiply"))
    re = ar * br - ai * bi
    im = ar * bi + ai * br
    return to_dtype((re, im), dtype)


def complex_einsum(subscripts: str, a: Pair, b: Pair) -> Pair:
    """``einsum`` of two ``(re, im)`` pairs, e.g. ``"bxyi,ioxy->bxyo"``.

    The per-mode channel mixing of a spectral convolution. Computed as one real
    ``keras.ops.einsum`` of the stacked parts ``[re, im]`` and
    ``[[re, im], [-im, re]]``, so it works on every backend and symbolically.

    Args:
        subscripts: an einsum string with exactly two operands.
        a: ``(re, im)`` pair, the first operand.
        b: ``(re, im)`` pair, the second operand.

    Returns:
        The ``(re, im)`` pair of the contraction, in the dtype of ``a``.

    Example:

    >>> x = (keras.ops.ones((2, 5, 3)), keras.ops.zeros((2, 5, 3)))
    >>> w = (keras.ops.ones((3, 4, 5)), keras.ops.ones((3, 4, 5)))
    >>> re, im = complex_einsum("bxi,iox->bxo", x, w)
    """
    if isinstance(subscripts, str):
        subscripts = subscripts.replace(" ", "")
        operands = subscripts.split("->")[0].split(",")
    else:
        operands = ()
    owner = "complex_einsum"
    if len(operands) != 2:
        fail(
            owner,
            "subscripts",
            subscripts,
            "an einsum string with two operands, such as 'bxi,iox->bxo'",
        )
    (ar, ai), dtype = to_compute(*as_pair(a, "a", owner))
    (br, bi), _ = to_compute(*as_pair(b, "b", owner))
    for name, part, spec in (("a", ar, operands[0]), ("b", br, operands[1])):
        letters = spec.replace("...", "")
        if "..." not in spec and len(letters) != len(part.shape):
            raise ValueError(
                f"{owner}: `subscripts` gives operand `{name}` {len(letters)} axes "
                f"({spec!r}), but `{name}` has rank {len(part.shape)} "
                f"(shape {tuple(part.shape)})."
            )
    output = subscripts.split("->")[1] if "->" in subscripts else _implicit(operands)
    return dispatch(
        _complex_einsum,
        _complex_einsum_spec,
        (ar, ai, br, bi),
        subscripts=f"{operands[0]},{operands[1]}->{output}",
        dtype=dtype,
    )


def _complex_einsum(ar, ai, br, bi, subscripts, dtype):
    native = _backend.einsum(subscripts, ar, ai, br, bi)
    if native is not None:
        return to_dtype(native, dtype)
    # one real einsum over stacked parts: [ar, ai] . [[br, bi], [-bi, br]]
    part, pick = [c for c in string.ascii_letters if c not in subscripts][:2]
    inputs, output = subscripts.split("->")
    a, b = inputs.split(",")
    stacked = keras.ops.einsum(
        f"{part}{a},{part}{pick}{b}->{pick}{output}",
        keras.ops.stack([ar, ai]),
        keras.ops.stack([keras.ops.stack([br, bi]), keras.ops.stack([-bi, br])]),
    )
    return to_dtype((stacked[0], stacked[1]), dtype)


def _complex_einsum_spec(ar, ai, br, bi, subscripts, dtype):
    out = keras.ops.einsum(subscripts, ar, br)
    return (
        keras.KerasTensor(out.shape, dtype),
        keras.KerasTensor(out.shape, dtype),
    )


def _implicit(operands):
    """numpy's implicit einsum output: ``...`` then the once-used letters, sorted."""
    letters = "".join(operands).replace("...", "")
    once = sorted(c for c in set(letters) if letters.count(c) == 1)
    return ("..." if any("..." in op for op in operands) else "") + "".join(once)


def conj(z: Pair) -> Pair:
    """Complex conjugate of a ``(re, im)`` pair: ``(re, -im)``.

    Example:

    >>> re, im = conj((keras.ops.ones(2), keras.ops.ones(2)))
    """
    re, im = as_pair(z, "z", "conj")
    return re, -im


def abs(z: Pair) -> Tensor:
    """Modulus ``sqrt(re**2 + im**2)`` of a ``(re, im)`` pair.

    Its gradient at ``0`` is taken as ``0`` (instead of NaN).

    Example:

    >>> r = abs((3.0 * keras.ops.ones(2), 4.0 * keras.ops.ones(2)))
    >>> keras.ops.convert_to_numpy(r).round(4).tolist()
    [5.0, 5.0]
    """
    (re, im), dtype = to_compute(*as_pair(z, "z", "abs"))
    squared = re * re + im * im
    positive = squared > 0
    safe = keras.ops.where(positive, squared, keras.ops.ones_like(squared))
    modulus = keras.ops.where(
        positive, keras.ops.sqrt(safe), keras.ops.zeros_like(safe)
    )
    return to_dtype((modulus,), dtype)[0]
