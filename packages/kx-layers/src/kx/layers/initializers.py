"""get_initializers: the (real, imaginary) initializer pair of a complex weight."""

from __future__ import annotations

from collections.abc import Sequence

import keras

from kx.ops.types import Initializer

__all__ = ["get_initializers"]


def get_initializers(
    value: Initializer | Sequence[Initializer],
) -> tuple[keras.initializers.Initializer, keras.initializers.Initializer]:
    """One initializer for both parts of a complex weight, or a (real, imaginary) pair.

    Args:
        value: an initializer (name, dict or instance) used for both parts, or a
            list or tuple of two of them, ``(real, imaginary)``.

    Returns:
        A tuple ``(real, imaginary)`` of ``keras.initializers.Initializer``; the
        same instance twice when one initializer is given.

    Example:

    >>> real, imag = get_initializers("zeros")
    >>> real is imag
    True
    >>> real, imag = get_initializers(("zeros", "ones"))
    >>> type(imag).__name__
    'Ones'
    """
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise ValueError(
                "`kernel_initializer` must be one initializer or a (real, "
                f"imaginary) pair of them; got kernel_initializer={value!r}."
            )
        return tuple(keras.initializers.get(item) for item in value)
    initializer = keras.initializers.get(value)
    return initializer, initializer
