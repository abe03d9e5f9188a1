"""ViT1D, ViT2D, ViT3D and ViTSpaceTime: the vision transformer of Dosovitskiy
et al. 2021 (and ViViT's factorised encoder), in timm's layout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras

from kx.ops.types import Activation, IntOrTuple
from kx.vision.models.vision_transformer import VisionTransformer, model_arguments

__all__ = ["ViT1D", "ViT2D", "ViT3D", "ViTSpaceTime"]


@keras.saving.register_keras_serializable(package="kx")
class ViT1D(VisionTransformer):
    """The vision transformer (Dosovitskiy et al. 2021) of sequences ``(batch, steps,
    channels)``, timm's layout.

    Non-overlapping segments -> learned position embedding (interpolated when the
    input's patch grid differs from ``input_shape``'s) -> class token (with its own
    position embedding) -> ``depth`` pre-norm blocks -> layer norm -> pooling ->
    head. Every block's tokens: :meth:`features_model`.

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per spatial axis.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'cls'``, ``'mean'``, ``'max'`` or None (the token sequence after the
            final norm).
        dim: token width, a positive int.
        depth: number of pre-norm transformer blocks (``block_0`` ...).
        heads: attention heads per block.
        dim_head: width of each head; None: ``dim // heads`` (timm's layout; ``heads``
            must divide ``dim``).
        mlp_dim: hidden width of each block's MLP.
        dropout: dropout rate after the position embedding, of the attention outputs and
            of the MLPs.
        attention_dropout: dropout rate of the attention probabilities.
        drop_path: stochastic depth, linear from 0 to this over the blocks.
        classifier_activation: activation of the head (None: logits).
        **kwargs: ``keras.Model`` arguments (``name``, ``trainable``).

    Example:

    >>> import numpy as np
    >>> model = ViT1D((32, 2), num_classes=10, dim=24,
    ...     heads=2, mlp_dim=32, patch_size=8, depth=1)
    >>> tuple(model.predict(np.ones((1, *(32, 2)), "float32"), verbose=0).shape)
    (1, 10)
    >>> tuple(model.predict(np.ones((1, *(48, 2)), "float32"), verbose=0).shape)
    (1, 10)
    """

    def __init__(
        self,
        input_shape: Sequence[int | None],
        patch_size: IntOrTuple = 16,
        num_classes: int | None = None,
        pooling: str | None = "cls",
        dim: int = 768,
        depth: int = 12,
        heads: int = 12,
        dim_head: int | None = None,
        mlp_dim: int = 3072,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        drop_path: float = 0.0,
        classifier_activation: Activation = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            rank=1,
            position_embedding="learned",
            class_token=True,
            **model_arguments(locals()),
        )


@keras.saving.register_keras_serializable(package="kx")
class ViT2D(VisionTransformer):
    """The vision transformer (Dosovitskiy et al. 2021) of images ``(batch, height,
    width, channels)``, timm's layout.

    Non-overlapping patches -> learned position embedding (interpolated when the
    input's patch grid differs from ``input_shape``'s) -> class token (with its own
    position embedding) -> ``depth`` pre-norm blocks -> layer norm -> pooling ->
    head. Every block's tokens: :meth:`features_model`.

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per spatial axis.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'cls'``, ``'mean'``, ``'max'`` or None (the token sequence after the
            final norm).
        dim: token width, a positive int.
        depth: number of pre-norm transformer blocks (``block_0`` ...).
        heads: attention heads per block.
        dim_head: width of each head; None: ``dim // heads`` (timm's layout; ``heads``
            must divide ``dim``).
        mlp_dim: hidden width of each block's MLP.
        dropout: dropout rate after the position embedding, of the attention outputs and
            of the MLPs.
        attention_dropout: dropout rate of the attention probabilities.
        drop_path: stochastic depth, linear from 0 to this over the blocks.
        classifier_activation: activation of the head (None: logits).
        **kwargs: ``keras.Model`` arguments (``name``, ``trainable``).

    Example:

    >>> import numpy as np
    >>> model = ViT2D((32, 32, 3), num_classes=10, dim=24,
    ...     heads=2, mlp_dim=32, patch_size=8, depth=1)
    >>> tuple(model.predict(np.ones((1, *(32, 32, 3)), "float32"), verbose=0).shape)
    (1, 10)
    >>> tuple(model.predict(np.ones((1, *(64, 48, 3)), "float32"), verbose=0).shape)
    (1, 10)
    """

    def __init__(
        self,
        input_shape: Sequence[int | None],
        patch_size: IntOrTuple = 16,
        num_classes: int | None = None,
        pooling: str | None = "cls",
        dim: int = 768,
        depth: int = 12,
        heads: int = 12,
        dim_head: int | None = None,
        mlp_dim: int = 3072,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        drop_path: float = 0.0,
        classifier_activation: Activation = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            rank=2,
            position_embedding="learned",
            class_token=True,
            **model_arguments(locals()),
        )


@keras.saving.register_keras_serializable(package="kx")
class ViT3D(VisionTransformer):
    """The vision transformer (Dosovitskiy et al. 2021) of volumes ``(batch, depth,
    height, width, channels)``, timm's layout.

    Non-overlapping tubelets -> learned position embedding (interpolated when the
    input's patch grid differs from ``input_shape``'s) -> class token (with its own
    position embedding) -> ``depth`` pre-norm blocks -> layer norm -> pooling ->
    head. Every block's tokens: :meth:`features_model`.

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per spatial axis.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'cls'``, ``'mean'``, ``'max'`` or None (the token sequence after the
            final norm).
        dim: token width, a positive int.
        depth: number of pre-norm transformer blocks (``block_0`` ...).
        heads: attention heads per block.
        dim_head: width of each head; None: ``dim // heads`` (timm's layout; ``heads``
            must divide ``dim``).
        mlp_dim: hidden width of each block's MLP.
        dropout: dropout rate after the position embedding, of the attention outputs and
            of the MLPs.
        attention_dropout: dropout rate of the attention probabilities.
        drop_path: stochastic depth, linear from 0 to this over the blocks.
        classifier_activation: activation of the head (None: logits).
        **kwargs: ``keras.Model`` arguments (``name``, ``trainable``).

    Example:

    >>> import numpy as np
    >>> model = ViT3D((8, 8, 8, 1), num_classes=10, dim=24,
    ...     heads=2, mlp_dim=32, patch_size=4, depth=1)
    >>> tuple(model.predict(np.ones((1, *(8, 8, 8, 1)), "float32"), verbose=0).shape)
    (1, 10)
    >>> tuple(model.predict(np.ones((1, *(8, 16, 8, 1)), "float32"), verbose=0).shape)
    (1, 10)
    """

    def __init__(
        self,
        input_shape: Sequence[int | None],
        patch_size: IntOrTuple = 16,
        num_classes: int | None = None,
        pooling: str | None = "cls",
        dim: int = 768,
        depth: int = 12,
        heads: int = 12,
        dim_head: int | None = None,
        mlp_dim: int = 3072,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        drop_path: float = 0.0,
        classifier_activation: Activation = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            rank=3,
            position_embedding="learned",
            class_token=True,
            **model_arguments(locals()),
        )


@keras.saving.register_keras_serializable(package="kx")
class ViTSpaceTime(VisionTransformer):
    """ViViT's factorised encoder (Arnab et al. 2021, model 2) for clips
    ``(batch, frames, height, width, channels)``.

    Tubelets of ``frame_patch_size`` frames and ``patch_size`` pixels -> a learned
    space-time position embedding (interpolated to other clip sizes) ->
    :class:`SpaceTimeEncoder` (``encoder``: a class token and ``spatial_depth``
    blocks per frame, then a class token and ``temporal_depth`` blocks over the
    frames) -> pooling over the temporal tokens -> head. ``pooling`` also sets
    how each frame is pooled (``'cls'`` when it is None).

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per image axis.
        frame_patch_size: frames per tubelet, a positive int.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'cls'``, ``'mean'``, ``'max'`` or None (the token sequence after the
            final norm).
        dim: token width, a positive int.
        spatial_depth: number of spatial blocks (per frame).
        temporal_depth: number of temporal blocks (over frames).
        heads: attention heads per block.
        dim_head: width of each head; None: ``dim // heads`` (timm's layout; ``heads``
            must divide ``dim``).
        mlp_dim: hidden width of each block's MLP.
        dropout: dropout rate after the position embedding, of the attention outputs and
            of the MLPs.
        attention_dropout: dropout rate of the attention probabilities.
        drop_path: stochastic depth, linear from 0 to this over the blocks.
        classifier_activation: activation of the head (None: logits).
        **kwargs: ``keras.Model`` arguments (``name``, ``trainable``).

    Example:

    >>> import numpy as np
    >>> model = ViTSpaceTime((4, 8, 8, 3), patch_size=4, num_classes=10, dim=24,
    ...     spatial_depth=1, temporal_depth=1, heads=2, mlp_dim=32)
    >>> tuple(model.predict(np.ones((1, 4, 8, 8, 3), "float32"), verbose=0).shape)
    (1, 10)
    """

    def __init__(
        self,
        input_shape: Sequence[int | None],
        patch_size: IntOrTuple = 16,
        frame_patch_size: int = 2,
        num_classes: int | None = None,
        pooling: str | None = "cls",
        dim: int = 768,
        spatial_depth: int = 12,
        temporal_depth: int = 4,
        heads: int = 12,
        dim_head: int | None = None,
        mlp_dim: int = 3072,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        drop_path: float = 0.0,
        classifier_activation: Activation = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            rank=3,
            space_time=True,
            position_embedding="learned",
            class_token=True,
            **model_arguments(locals()),
        )
