"""SpaceTimeEncoder: the factorised encoder of ViViT (model 2)."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.blocks import TransformerEncoder
from kx.ops import checks
from kx.ops.types import Config, Shape, Tensor
from kx.vision.layers.tokens import ClassToken, TokenPooling

__all__ = ["SpaceTimeEncoder", "drop_path_rates"]


def drop_path_rates(drop_path: float, depth: int) -> list[float]:
    """The stochastic-depth rate of each of ``depth`` blocks: linear from 0 to
    ``drop_path`` (timm's schedule).

    Example:

    >>> drop_path_rates(0.2, 3)
    [0.0, 0.1, 0.2]
    >>> drop_path_rates(0.1, 1)
    [0.1]
    """
    if depth == 1:
        return [drop_path]
    return [drop_path * i / (depth - 1) for i in range(depth)]


@keras.saving.register_keras_serializable(package="kx")
class SpaceTimeEncoder(keras.layers.Layer):
    """The factorised space-time encoder of ViViT, model 2 (Arnab et al. 2021).

    A spatial transformer runs over the tokens of each frame (all frames as one
    batch), its tokens are pooled into one per frame, and a temporal transformer
    runs over the frames::

        (batch, frames, *grid, dim)
          -> per frame: [spatial class token] + tokens -> spatial blocks -> norm
          -> pool each frame (its class token, or the mean / max of its tokens)
          -> [temporal class token] + frame tokens -> temporal blocks -> norm
          -> (batch, class_token + frames, dim)

    Every block is a pre-norm :class:`kx.blocks.TransformerEncoder`. Position
    embeddings are added before this layer, over the whole space-time grid, as in
    ViViT.

    Args:
        spatial_depth: number of spatial blocks, a positive int.
        temporal_depth: number of temporal blocks, a positive int.
        num_heads: attention heads of every block.
        mlp_dim: hidden width of every block's MLP.
        key_dim: width of each head; None: ``dim // num_heads``.
        dropout: dropout rate of the attention outputs and MLPs.
        attention_dropout: dropout rate of the attention probabilities.
        drop_path: stochastic-depth rate, linear from 0 to this over each stack.
        class_token: whether each frame and the temporal sequence get a learned
            class token.
        pooling: how a frame's tokens become one: ``"cls"`` (its class token;
            needs ``class_token``), ``"mean"`` or ``"max"``.
        norm_epsilon: epsilon of the layer norms.
        seed: int or None, seed of the dropout draws.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``(batch, frames, *grid, dim)``, 1 or 2 grid axes per frame.
        training: whether dropout is active.

    Example:

    >>> import numpy as np
    >>> encoder = SpaceTimeEncoder(1, 1, num_heads=2, mlp_dim=16)
    >>> tuple(encoder(np.ones((2, 3, 2, 2, 8), "float32")).shape)
    (2, 4, 8)
    """

    def __init__(
        self,
        spatial_depth: int,
        temporal_depth: int,
        num_heads: int,
        mlp_dim: int,
        key_dim: int | None = None,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        drop_path: float = 0.0,
        class_token: bool = True,
        pooling: str = "cls",
        norm_epsilon: float = 1e-6,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.spatial_depth = checks.positive_int(spatial_depth, "spatial_depth", owner)
        self.temporal_depth = checks.positive_int(
            temporal_depth, "temporal_depth", owner
        )
        self.num_heads = checks.positive_int(num_heads, "num_heads", owner)
        self.mlp_dim = checks.positive_int(mlp_dim, "mlp_dim", owner)
        self.key_dim = checks.optional(checks.positive_int, key_dim, "key_dim", owner)
        self.dropout = checks.rate(dropout, "dropout", owner)
        self.attention_dropout = checks.rate(
            attention_dropout, "attention_dropout", owner
        )
        self.drop_path = checks.rate(drop_path, "drop_path", owner)
        self.class_token = checks.boolean(class_token, "class_token", owner)
        self.pooling = checks.one_of(pooling, "pooling", ("cls", "mean", "max"), owner)
        if pooling == "cls" and not class_token:
            checks.fail(
                owner, "pooling", pooling, "'mean' or 'max' without a class token"
            )
        self.norm_epsilon = checks.number(
            norm_epsilon, "norm_epsilon", owner, 0.0, low_open=True
        )
        self.seed = checks.optional(checks.positive_int, seed, "seed", owner, True)

    def _stack(self, prefix, depth):
        return [
            TransformerEncoder(
                self.num_heads,
                self.mlp_dim,
                key_dim=self.key_dim,
                dropout=self.dropout,
                attention_dropout=self.attention_dropout,
                drop_path=rate,
                norm_epsilon=self.norm_epsilon,
                seed=self.seed,
                dtype=self.dtype_policy,
                name=f"{prefix}_block_{i}",
            )
            for i, rate in enumerate(drop_path_rates(self.drop_path, depth))
        ]

    def build(self, input_shape: Shape) -> None:
        if not 4 <= len(input_shape) <= 5 or input_shape[-1] is None:
            checks.fail(
                type(self).__name__,
                "input_shape",
                tuple(input_shape),
                "(batch, frames, *grid, dim) with 1 or 2 grid axes and a known dim",
            )
        dim = int(input_shape[-1])
        sequence = (None, None, dim)
        policy = self.dtype_policy
        prefix = int(self.class_token)
        self.spatial_token = self.temporal_token = None
        if self.class_token:
            self.spatial_token = ClassToken(dtype=policy, name="spatial_token")
            self.temporal_token = ClassToken(dtype=policy, name="temporal_token")
            self.spatial_token.build(sequence)
            self.temporal_token.build(sequence)
        self.spatial_blocks = self._stack("spatial", self.spatial_depth)
        self.temporal_blocks = self._stack("temporal", self.temporal_depth)
        for block in self.spatial_blocks + self.temporal_blocks:
            block.build(sequence)
        self.spatial_norm = keras.layers.LayerNormalization(
            epsilon=self.norm_epsilon, dtype=policy, name="spatial_norm"
        )
        self.temporal_norm = keras.layers.LayerNormalization(
            epsilon=self.norm_epsilon, dtype=policy, name="temporal_norm"
        )
        self.spatial_norm.build(sequence)
        self.temporal_norm.build(sequence)
        self.frame_pooling = TokenPooling(self.pooling, prefix, dtype=policy)
        self.input_spec = keras.layers.InputSpec(ndim=len(input_shape), axes={-1: dim})

    def call(self, inputs: Tensor, training: bool | None = None) -> Tensor:
        shape = ops.shape(inputs)
        # no frames or an empty frame grid: nothing to attend over or pool
        axes = tuple(range(1, len(shape) - 1))
        checks.nonempty_axes(shape, axes, type(self).__name__)
        batch, frames, dim = shape[0], shape[1], inputs.shape[-1]
        x = ops.reshape(inputs, (batch * frames, -1, dim))
        if self.spatial_token is not None:
            x = self.spatial_token(x)
        for block in self.spatial_blocks:
            x = block(x, training=training)
        x = self.frame_pooling(self.spatial_norm(x))
        x = ops.reshape(x, (batch, frames, dim))
        if self.temporal_token is not None:
            x = self.temporal_token(x)
        for block in self.temporal_blocks:
            x = block(x, training=training)
        return self.temporal_norm(x)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        frames = input_shape[1]
        if frames is not None:
            frames += int(self.class_token)
        return (input_shape[0], frames, input_shape[-1])

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "spatial_depth": self.spatial_depth,
                "temporal_depth": self.temporal_depth,
                "num_heads": self.num_heads,
                "mlp_dim": self.mlp_dim,
                "key_dim": self.key_dim,
                "dropout": self.dropout,
                "attention_dropout": self.attention_dropout,
                "drop_path": self.drop_path,
                "class_token": self.class_token,
                "pooling": self.pooling,
                "norm_epsilon": self.norm_epsilon,
                "seed": self.seed,
            }
        )
        return config
