"""SimpleViT (Beyer et al. 2022) in 1D, 2D, 3D and space-time, and its Fourier
(SimpleViTFFT2D) and register-token (SimpleViTRegisterTokens2D) variants."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras

from kx.ops.types import Activation, IntOrTuple
from kx.vision.models.vision_transformer import VisionTransformer, model_arguments

__all__ = [
    "SimpleViT1D",
    "SimpleViT2D",
    "SimpleViT3D",
    "SimpleViTFFT2D",
    "SimpleViTRegisterTokens2D",
    "SimpleViTSpaceTime",
]


@keras.saving.register_keras_serializable(package="kx")
class SimpleViT1D(VisionTransformer):
    """SimpleViT (Beyer et al. 2022, "Better plain ViT baselines") of sequences
    ``(batch, steps, channels)``.

    Non-overlapping segments -> fixed 1-d sin-cos position embedding (exact at
    any grid) -> ``depth`` pre-norm blocks -> layer norm -> mean pooling (no
    class token) -> head. ``dim`` must be a multiple of 2 (at least 4). Every
    block's tokens: :meth:`features_model`.

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per spatial axis.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'mean'``, ``'max'`` or None (the token sequence after the final
            norm).
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
    >>> model = SimpleViT1D((32, 2), num_classes=10, dim=24,
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
        pooling: str | None = "mean",
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
            position_embedding="sincos",
            class_token=False,
            **model_arguments(locals()),
        )


@keras.saving.register_keras_serializable(package="kx")
class SimpleViT2D(VisionTransformer):
    """SimpleViT (Beyer et al. 2022, "Better plain ViT baselines") of images ``(batch,
    height, width, channels)``.

    Non-overlapping patches -> fixed 2-d sin-cos position embedding (exact at
    any grid) -> ``depth`` pre-norm blocks -> layer norm -> mean pooling (no
    class token) -> head. ``dim`` must be a multiple of 4 (at least 8). Every
    block's tokens: :meth:`features_model`.

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per spatial axis.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'mean'``, ``'max'`` or None (the token sequence after the final
            norm).
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
    >>> model = SimpleViT2D((32, 32, 3), num_classes=10, dim=24,
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
        pooling: str | None = "mean",
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
            position_embedding="sincos",
            class_token=False,
            **model_arguments(locals()),
        )


@keras.saving.register_keras_serializable(package="kx")
class SimpleViT3D(VisionTransformer):
    """SimpleViT (Beyer et al. 2022, "Better plain ViT baselines") of volumes ``(batch,
    depth, height, width, channels)``.

    Non-overlapping tubelets -> fixed 3-d sin-cos position embedding (exact at
    any grid) -> ``depth`` pre-norm blocks -> layer norm -> mean pooling (no
    class token) -> head. ``dim`` must be a multiple of 6 (at least 12). Every
    block's tokens: :meth:`features_model`.

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per spatial axis.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'mean'``, ``'max'`` or None (the token sequence after the final
            norm).
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
    >>> model = SimpleViT3D((8, 8, 8, 1), num_classes=10, dim=24,
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
        pooling: str | None = "mean",
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
            position_embedding="sincos",
            class_token=False,
            **model_arguments(locals()),
        )


@keras.saving.register_keras_serializable(package="kx")
class SimpleViTFFT2D(VisionTransformer):
    """SimpleViT with Fourier tokens, for images ``(batch, height, width, channels)``.

    Besides the patch tokens, the 2-d FFT of the image over its spatial axes
    (:class:`FourierFeatures`: real and imaginary parts as ``2 * channels``
    channels, through :func:`kx.ops.fftn`) is cut into ``freq_patch_size``
    patches and embedded the same way (own projection, sin-cos embedding); both
    token sets go through the blocks together, then mean pooling.

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per spatial axis.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'mean'``, ``'max'`` or None (the token sequence after the final
            norm).
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
        freq_patch_size: patch of the Fourier tokens (an int or one per axis); None:
            ``patch_size``.
        **kwargs: ``keras.Model`` arguments (``name``, ``trainable``).

    Example:

    >>> import numpy as np
    >>> model = SimpleViTFFT2D((32, 32, 3), num_classes=10, dim=24,
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
        pooling: str | None = "mean",
        dim: int = 768,
        depth: int = 12,
        heads: int = 12,
        dim_head: int | None = None,
        mlp_dim: int = 3072,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        drop_path: float = 0.0,
        classifier_activation: Activation = None,
        freq_patch_size: IntOrTuple | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            rank=2,
            fourier=True,
            position_embedding="sincos",
            class_token=False,
            **model_arguments(locals()),
        )


@keras.saving.register_keras_serializable(package="kx")
class SimpleViTRegisterTokens2D(VisionTransformer):
    """SimpleViT with register tokens (Darcet et al. 2024, "Vision transformers need
    registers") for images ``(batch, height, width, channels)``.

    ``num_register_tokens`` learned tokens are prepended to the patch tokens, go
    through the blocks and are left out of the pooling (they are the first
    ``num_prefix_tokens`` tokens of :meth:`features_model`'s outputs).

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per spatial axis.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'mean'``, ``'max'`` or None (the token sequence after the final
            norm).
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
        num_register_tokens: number of register tokens, a positive int.
        **kwargs: ``keras.Model`` arguments (``name``, ``trainable``).

    Example:

    >>> import numpy as np
    >>> model = SimpleViTRegisterTokens2D((32, 32, 3), num_classes=10, dim=24,
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
        pooling: str | None = "mean",
        dim: int = 768,
        depth: int = 12,
        heads: int = 12,
        dim_head: int | None = None,
        mlp_dim: int = 3072,
        dropout: float = 0.0,
        attention_dropout: float = 0.0,
        drop_path: float = 0.0,
        classifier_activation: Activation = None,
        num_register_tokens: int = 4,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            rank=2,
            position_embedding="sincos",
            class_token=False,
            **model_arguments(locals()),
        )


@keras.saving.register_keras_serializable(package="kx")
class SimpleViTSpaceTime(VisionTransformer):
    """SimpleViT's recipe on ViViT's factorised encoder for clips
    ``(batch, frames, height, width, channels)``.

    Tubelets -> fixed 3-d sin-cos embedding over (frames, rows, columns) ->
    :class:`SpaceTimeEncoder` without class tokens (each frame mean or max
    pooled, then ``temporal_depth`` blocks over frames) -> pooling -> head.
    ``dim`` must be a multiple of 6 (at least 12).

    Args:
        input_shape: ``(*spatial, channels)`` of the inputs, channels last; the model
            runs at any other spatial size (its graph's spatial axes are None).
        patch_size: an int or one int per image axis.
        frame_patch_size: frames per tubelet, a positive int.
        num_classes: None (features: the pooled vector, or the tokens when ``pooling``
            is None) or the width of the dense ``head``.
        pooling: ``'mean'``, ``'max'`` or None (the token sequence after the final
            norm).
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
    >>> model = SimpleViTSpaceTime((4, 8, 8, 3), patch_size=4, num_classes=10, dim=24,
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
        pooling: str | None = "mean",
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
            position_embedding="sincos",
            class_token=False,
            **model_arguments(locals()),
        )
