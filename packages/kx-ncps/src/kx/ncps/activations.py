"""Activations of the CfC backbone, including LeCun's scaled tanh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras

from kx.ops import tanh
from kx.ops.types import Activation, Tensor

__all__ = ["lecun_tanh", "get_activation", "serialize_activation"]


@keras.saving.register_keras_serializable(package="kx", name="lecun_tanh")
def lecun_tanh(x: Tensor) -> Tensor:
    """LeCun's scaled hyperbolic tangent, ``1.7159 * tanh(0.666 * x)``.

    (LeCun et al., "Efficient BackProp", 1998.) The default activation of the CfC
    backbone. It is registered with ``keras.saving.register_keras_serializable``
    under the name ``"kx>lecun_tanh"``, so models that use it load without
    ``custom_objects``; :func:`get_activation` also accepts ``"lecun_tanh"``.

    Example:

    >>> import numpy as np
    >>> y = lecun_tanh(keras.ops.convert_to_tensor(np.array([-1, 0.5, 2], "float32")))
    >>> np.round(keras.ops.convert_to_numpy(y), 3)
    array([-0.999,  0.551,  1.492], dtype=float32)
    """
    return 1.7159 * tanh(0.666 * x)


def get_activation(
    identifier: Activation, owner: str = "kx.ncps"
) -> Callable[..., Any]:
    """Like ``keras.activations.get``, and ``"lecun_tanh"`` gives :func:`lecun_tanh`.

    Raises:
        ValueError: naming ``owner`` and the argument when the identifier is
            unknown.

    Example:

    >>> get_activation("lecun_tanh") is lecun_tanh
    True
    >>> get_activation("relu") is keras.activations.relu
    True
    >>> get_activation("nope", owner="CfCCell")
    Traceback (most recent call last):
        ...
    ValueError: CfCCell: `activation` must be 'lecun_tanh', ...; got activation='nope'.
    """
    if identifier in ("lecun_tanh", "kx>lecun_tanh"):
        return lecun_tanh
    if isinstance(identifier, str) and ">" in identifier:
        function = keras.saving.get_registered_object(identifier)
        if function is not None:
            return function
    try:
        return keras.activations.get(identifier)
    except ValueError as error:
        raise ValueError(
            f"{owner}: `activation` must be 'lecun_tanh', a keras activation name or "
            f"a callable; got activation={identifier!r}."
        ) from error


def serialize_activation(identifier: Activation) -> Any:
    """The JSON-friendly form of an activation argument, for ``get_config``.

    Example:

    >>> serialize_activation("relu"), serialize_activation(None)
    ('relu', None)
    >>> serialize_activation(lecun_tanh)
    'lecun_tanh'
    >>> get_activation(serialize_activation(keras.activations.gelu)).__name__
    'gelu'
    """
    if isinstance(identifier, str) or identifier is None:
        return identifier
    if identifier is lecun_tanh:
        return "lecun_tanh"
    return keras.saving.serialize_keras_object(identifier)
