"""Learned tokens prepended to a token sequence (class token, register tokens) and
the pooling of a sequence into one vector."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.ops import checks
from kx.ops.types import Config, Initializer, Shape, Tensor

__all__ = ["POOLINGS", "ClassToken", "RegisterTokens", "TokenPooling"]

# the pooling modes of TokenPooling and of every kx.vision model
POOLINGS = ("cls", "mean", "max", None)


def _sequence_dim(layer, input_shape):
    if len(input_shape) != 3 or input_shape[-1] is None:
        checks.fail(
            type(layer).__name__,
            "input_shape",
            tuple(input_shape),
            "(batch, tokens, dim) with a known dim",
        )
    return int(input_shape[-1])


class _PrefixTokens(keras.layers.Layer):
    """Prepend ``num_tokens`` learned tokens to ``(batch, tokens, dim)``."""

    def _setup(self, num_tokens, initializer):
        self.num_tokens = num_tokens
        if initializer is None:
            initializer = keras.initializers.TruncatedNormal(stddev=0.02)
        self.initializer = keras.initializers.get(initializer)

    def build(self, input_shape: Shape) -> None:
        dim = _sequence_dim(self, input_shape)
        self.tokens = self.add_weight(
            name="tokens", shape=(self.num_tokens, dim), initializer=self.initializer
        )
        self.input_spec = keras.layers.InputSpec(ndim=3, axes={-1: dim})

    def _prefix(self, inputs):
        return ops.cast(self.tokens, inputs.dtype)

    def call(self, inputs: Tensor) -> Tensor:
        prefix = self._prefix(inputs)[None]
        prefix = ops.broadcast_to(
            prefix, (ops.shape(inputs)[0], self.num_tokens, inputs.shape[-1])
        )
        return ops.concatenate([prefix, inputs], axis=1)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        steps = input_shape[1]
        steps = None if steps is None else steps + self.num_tokens
        return (input_shape[0], steps, input_shape[2])

    def get_config(self) -> Config:
        config = super().get_config()
        config["initializer"] = keras.initializers.serialize(self.initializer)
        return config


@keras.saving.register_keras_serializable(package="kx")
class ClassToken(_PrefixTokens):
    """Prepend a learned class token to a token sequence (Dosovitskiy et al. 2021).

    ``(batch, tokens, dim) -> (batch, 1 + tokens, dim)``, the class token first.
    With ``position_embedding=True`` the token also has its own learned position
    embedding added to it (timm's ViT layout: the class token is one of the
    ``1 + tokens`` positions of ``pos_embed``), which makes the parameter count
    that of timm's models.

    Args:
        position_embedding: whether the class token has its own learned position
            embedding (a second ``(1, dim)`` weight).
        initializer: initializer of the token (and of its position embedding);
            truncated normal, std 0.02, by default.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``(batch, tokens, dim)``.

    Example:

    >>> import numpy as np
    >>> tuple(ClassToken()(np.ones((2, 4, 8), "float32")).shape)
    (2, 5, 8)
    """

    def __init__(
        self,
        position_embedding: bool = False,
        initializer: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.position_embedding = checks.boolean(
            position_embedding, "position_embedding", type(self).__name__
        )
        self._setup(1, initializer)

    def build(self, input_shape: Shape) -> None:
        super().build(input_shape)
        self.position = None
        if self.position_embedding:
            self.position = self.add_weight(
                name="position",
                shape=(1, _sequence_dim(self, input_shape)),
                initializer=self.initializer,
            )

    def _prefix(self, inputs):
        prefix = super()._prefix(inputs)
        if self.position is not None:
            prefix = prefix + ops.cast(self.position, inputs.dtype)
        return prefix

    def get_config(self) -> Config:
        config = super().get_config()
        config["position_embedding"] = self.position_embedding
        return config


@keras.saving.register_keras_serializable(package="kx")
class RegisterTokens(_PrefixTokens):
    """Prepend ``num_tokens`` learned register tokens (Darcet et al. 2024).

    ``(batch, tokens, dim) -> (batch, num_tokens + tokens, dim)``. Registers have no
    position embedding; pool with ``TokenPooling(num_prefix_tokens=num_tokens)``
    so that they are left out of the pooled vector.

    Args:
        num_tokens: number of register tokens, a positive int.
        initializer: initializer of the tokens; truncated normal, std 0.02, by
            default.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``(batch, tokens, dim)``.

    Example:

    >>> import numpy as np
    >>> tuple(RegisterTokens(4)(np.ones((2, 6, 8), "float32")).shape)
    (2, 10, 8)
    """

    def __init__(
        self, num_tokens: int = 4, initializer: Initializer = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        num_tokens = checks.positive_int(num_tokens, "num_tokens", type(self).__name__)
        self._setup(num_tokens, initializer)

    def get_config(self) -> Config:
        config = super().get_config()
        config["num_tokens"] = self.num_tokens
        return config


@keras.saving.register_keras_serializable(package="kx")
class TokenPooling(keras.layers.Layer):
    """Pool a token sequence ``(batch, tokens, dim)`` into ``(batch, dim)``.

    ``"cls"``: the first token (the class token); ``"mean"`` / ``"max"``: the mean
    / maximum over the tokens after the first ``num_prefix_tokens`` (class and
    register tokens are left out, as timm's ``global_pool="avg"``); None: the
    sequence unchanged.

    Args:
        pooling: ``"cls"``, ``"mean"``, ``"max"`` or None.
        num_prefix_tokens: number of leading (class, register) tokens; ``"cls"``
            needs at least one.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``(batch, tokens, dim)``.

    Example:

    >>> import numpy as np
    >>> tuple(TokenPooling("mean", 1)(np.ones((2, 5, 8), "float32")).shape)
    (2, 8)
    """

    def __init__(
        self, pooling: str | None = "mean", num_prefix_tokens: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.pooling = checks.one_of(pooling, "pooling", POOLINGS, owner)
        self.num_prefix_tokens = checks.positive_int(
            num_prefix_tokens, "num_prefix_tokens", owner, allow_zero=True
        )
        if pooling == "cls" and not self.num_prefix_tokens:
            checks.fail(
                owner, "num_prefix_tokens", 0, "at least 1 (a class token) for 'cls'"
            )

    def build(self, input_shape: Shape) -> None:
        _sequence_dim(self, input_shape)

    def call(self, inputs: Tensor) -> Tensor:
        if self.pooling is None:
            return inputs
        owner = type(self).__name__
        shape = ops.shape(inputs)
        checks.nonempty_axes(shape, (1,), owner)
        prefix = self.num_prefix_tokens
        if self.pooling != "cls" and isinstance(shape[1], int) and shape[1] <= prefix:
            raise ValueError(  # a mean or max over no tokens
                f"{owner}: `inputs` must have more tokens than num_prefix_tokens="
                f"{prefix} to pool with {self.pooling!r}; got inputs=a tensor of "
                f"shape {tuple(shape)}."
            )
        if self.pooling == "cls":
            return inputs[:, 0]
        tokens = inputs[:, self.num_prefix_tokens :]
        if self.pooling == "mean":
            return ops.mean(tokens, axis=1)
        return ops.max(tokens, axis=1)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if self.pooling is None:
            return tuple(input_shape)
        return (input_shape[0], input_shape[2])

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {"pooling": self.pooling, "num_prefix_tokens": self.num_prefix_tokens}
        )
        return config
