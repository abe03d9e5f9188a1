"""VisionTransformer: the one N-d implementation behind kx.vision's ViT family."""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import keras

from kx.blocks import TransformerEncoder
from kx.ops import checks
from kx.ops.types import Activation, Config, IntOrTuple
from kx.vision.layers import (
    POOLINGS,
    ClassToken,
    FourierFeatures,
    LearnedPositionEmbedding,
    PatchEmbedding,
    RegisterTokens,
    SinCosPositionEmbedding,
    SpaceTimeEncoder,
    TokenPooling,
    drop_path_rates,
)

__all__ = ["VisionTransformer", "model_arguments"]

_NORM_EPSILON = 1e-6


def model_arguments(frame: Mapping[str, Any]) -> dict[str, Any]:
    """The explicit arguments of a rank subclass's ``__init__`` (its ``locals()``),
    its ``**kwargs`` merged in: what it passes on to :class:`VisionTransformer`.

    Example:

    >>> def init(self, dim=8, **kwargs):
    ...     return model_arguments(locals())
    >>> init(None, dim=4, name="vit")
    {'dim': 4, 'name': 'vit'}
    """
    arguments = {k: v for k, v in frame.items() if k not in ("self", "__class__")}
    arguments.update(arguments.pop("kwargs", {}))
    return arguments


class _BlockArguments(TypedDict):
    """The arguments every transformer block of a model shares."""

    key_dim: int | None
    dropout: float
    attention_dropout: float
    norm_epsilon: float


def _patch(value: IntOrTuple, n: int, name: str, owner: str) -> tuple[int, ...]:
    if isinstance(value, list | tuple):
        return checks.int_tuple(tuple(value), n, name, owner)
    return checks.int_tuple(value, n, name, owner)


@keras.saving.register_keras_serializable(package="kx")
class VisionTransformer(keras.Model):
    """The N-d vision transformer that every kx.vision ViT model is (a functional
    graph inside a ``keras.Model``).

    Input ``(batch, *spatial, channels)`` (channels last) ->
    :class:`PatchEmbedding` (tokens of local patches / tubelets) -> position
    embedding (learned and resampled to the input's grid, or fixed sin-cos) ->
    [Fourier tokens] -> [register tokens] -> [class token] -> ``depth`` pre-norm
    :class:`kx.blocks.TransformerEncoder` blocks (``block_0`` ...) -> layer norm
    (``norm``) -> :class:`TokenPooling` (``pooling``) -> [``head``]. With
    ``space_time=True`` the blocks are a factorised :class:`SpaceTimeEncoder`
    (``encoder``; ViViT model 2) over ``(frames, height, width)`` inputs.

    The graph's spatial axes are None, so a model built for one input size runs
    at any other (the learned embedding is interpolated); ``input_shape`` fixes
    the learned embedding's grid and is checked against ``patch_size``.

    The public classes (:class:`ViT2D`, :class:`SimpleViT2D`, ...) are thin
    subclasses that fix ``rank`` and the variant; use them.

    Args:
        rank: number of spatial axes, 1, 2 or 3 (3 with ``space_time``: frames,
            height, width).
        input_shape: ``(*spatial, channels)``; spatial sizes may be None (not with
            a learned embedding), channels must be known.
        patch_size: an int or one int per spatial axis (per image axis with
            ``space_time``).
        num_classes: None (features: the pooled vector or the tokens) or the
            width of a dense ``head``.
        pooling: ``"cls"``, ``"mean"``, ``"max"`` or None (the token sequence).
        dim: token width.
        depth: number of transformer blocks (not with ``space_time``).
        heads: attention heads per block.
        dim_head: width of each head; None: ``dim // heads`` (which must divide).
        mlp_dim: hidden width of each block's MLP.
        dropout: dropout after the position embedding, in attention outputs and
            MLPs.
        attention_dropout: dropout of the attention probabilities.
        drop_path: stochastic depth, linear from 0 to this over the blocks.
        classifier_activation: activation of the head.
        position_embedding: ``"learned"`` or ``"sincos"``.
        class_token: whether a class token is prepended.
        num_register_tokens: number of register tokens (0: none).
        fourier: whether FFT tokens of the input (over its spatial axes) are added
            to the patch tokens (SimpleViT-FFT).
        freq_patch_size: patch of the Fourier tokens; None: ``patch_size``.
        space_time: whether the encoder is the factorised space-time one.
        frame_patch_size: frames per tubelet (``space_time``).
        spatial_depth: spatial blocks (``space_time``).
        temporal_depth: temporal blocks (``space_time``).
        **kwargs: ``keras.Model`` arguments (``name``, ``trainable``).

    Example:

    >>> import numpy as np
    >>> model = VisionTransformer(2, (8, 8, 3), patch_size=4, num_classes=3, dim=8,
    ...     depth=1, heads=2, mlp_dim=16)
    >>> tuple(model(np.ones((1, 8, 8, 3), "float32")).shape)
    (1, 3)
    """

    def __init__(
        self,
        rank: int,
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
        position_embedding: str = "learned",
        class_token: bool = True,
        num_register_tokens: int = 0,
        fourier: bool = False,
        freq_patch_size: IntOrTuple | None = None,
        space_time: bool = False,
        frame_patch_size: int | None = None,
        spatial_depth: int | None = None,
        temporal_depth: int | None = None,
        **kwargs: Any,
    ) -> None:
        arguments = {
            k: v
            for k, v in locals().items()
            if k not in ("self", "kwargs", "__class__")
        }
        owner = type(self).__name__
        rank = checks.check_rank(rank, owner)
        space_time = checks.boolean(space_time, "space_time", owner)
        if space_time and rank != 3:
            checks.fail(owner, "rank", rank, "3 (frames, height, width) for space-time")
        if not isinstance(input_shape, list | tuple) or len(input_shape) != rank + 1:
            axes = (
                "(frames, height, width, channels)"
                if space_time
                else (f"{rank} spatial sizes and the channels")
            )
            checks.fail(owner, "input_shape", input_shape, f"a tuple of {axes}")
        spatial = tuple(input_shape[:-1])
        for n in spatial:
            checks.optional(checks.positive_int, n, "input_shape", owner)
        channels = checks.positive_int(input_shape[-1], "input_shape", owner)
        if space_time:
            frame_patch = checks.positive_int(
                frame_patch_size, "frame_patch_size", owner
            )
            patch = (frame_patch, *_patch(patch_size, 2, "patch_size", owner))
            spatial_blocks = checks.positive_int(spatial_depth, "spatial_depth", owner)
            temporal_blocks = checks.positive_int(
                temporal_depth, "temporal_depth", owner
            )
        else:
            patch = _patch(patch_size, rank, "patch_size", owner)
            depth = checks.positive_int(depth, "depth", owner)
        for n, p in zip(spatial, patch):
            if n is not None and n % p:
                name = "patch_size"
                if space_time and p == patch[0] and n == spatial[0]:
                    name = "frame_patch_size"
                checks.fail(
                    owner, name, patch_size if name == "patch_size" else p,
                    f"sizes that divide the input sizes {spatial} (patches {patch})",
                )  # fmt: skip
        num_classes = checks.optional(
            checks.positive_int, num_classes, "num_classes", owner
        )
        pooling = checks.one_of(pooling, "pooling", POOLINGS, owner)
        class_token = checks.boolean(class_token, "class_token", owner)
        if pooling == "cls" and not class_token:
            checks.fail(
                owner, "pooling", pooling, "'mean', 'max' or None (no class token)"
            )
        dim = checks.positive_int(dim, "dim", owner)
        heads = checks.positive_int(heads, "heads", owner)
        dim_head = checks.optional(checks.positive_int, dim_head, "dim_head", owner)
        if dim_head is None and dim % heads:
            checks.fail(
                owner, "heads", heads, f"a divisor of dim={dim} when dim_head is None"
            )
        mlp_dim = checks.positive_int(mlp_dim, "mlp_dim", owner)
        dropout = checks.rate(dropout, "dropout", owner)
        attention_dropout = checks.rate(attention_dropout, "attention_dropout", owner)
        drop_path = checks.rate(drop_path, "drop_path", owner)
        activation = checks.activation(
            classifier_activation, "classifier_activation", owner
        )
        position_embedding = checks.one_of(
            position_embedding, "position_embedding", ("learned", "sincos"), owner
        )
        # the patch grid of the known input sizes (all known for a learned embedding)
        grid = tuple(n // p for n, p in zip(spatial, patch) if n is not None)
        if position_embedding == "learned" and len(grid) < len(spatial):
            checks.fail(
                owner, "input_shape", input_shape,
                "known spatial sizes (the grid of the learned position embedding; "
                "the model still runs at any size)",
            )  # fmt: skip
        if position_embedding == "sincos" and (dim % (2 * rank) or dim < 4 * rank):
            checks.fail(
                owner, "dim", dim,
                f"a multiple of {2 * rank} and at least {4 * rank} (the {rank}-d "
                "sin-cos embedding)",
            )  # fmt: skip
        num_register_tokens = checks.positive_int(
            num_register_tokens, "num_register_tokens", owner, allow_zero=True
        )
        fourier = checks.boolean(fourier, "fourier", owner)
        freq_patch = patch
        if fourier:
            if freq_patch_size is not None:
                freq_patch = _patch(freq_patch_size, rank, "freq_patch_size", owner)
            for n, p in zip(spatial, freq_patch):
                if n is not None and n % p:
                    checks.fail(
                        owner, "freq_patch_size", freq_patch_size,
                        f"sizes that divide the input sizes {spatial}",
                    )  # fmt: skip

        inputs = keras.Input((None,) * rank + (channels,), name="inputs")
        x = PatchEmbedding(patch, dim, flatten=False, name="patch_embedding")(inputs)
        if position_embedding == "learned":
            x = LearnedPositionEmbedding(grid, name="position_embedding")(x)
        else:
            x = SinCosPositionEmbedding(name="position_embedding")(x)
        if dropout > 0.0:
            x = keras.layers.Dropout(dropout, name="position_dropout")(x)
        block_args: _BlockArguments = {
            "key_dim": dim_head,
            "dropout": dropout,
            "attention_dropout": attention_dropout,
            "norm_epsilon": _NORM_EPSILON,
        }
        if space_time:
            frame_pooling = pooling or ("cls" if class_token else "mean")
            x = SpaceTimeEncoder(
                spatial_blocks, temporal_blocks, heads, mlp_dim, drop_path=drop_path,
                class_token=class_token, pooling=frame_pooling, name="encoder",
                **block_args,
            )(x)  # fmt: skip
            prefix = int(class_token)
            self.block_names = ["encoder"]
        else:
            x = keras.layers.Reshape((-1, dim), name="tokens")(x)
            if fourier:
                f = FourierFeatures(name="fourier_features")(inputs)
                f = PatchEmbedding(
                    freq_patch, dim, flatten=False, name="fourier_patch_embedding"
                )(f)
                f = SinCosPositionEmbedding(name="fourier_position_embedding")(f)
                f = keras.layers.Reshape((-1, dim), name="fourier_tokens")(f)
                x = keras.layers.Concatenate(axis=1, name="all_tokens")([x, f])
            if num_register_tokens:
                x = RegisterTokens(num_register_tokens, name="register_tokens")(x)
            if class_token:
                learned = position_embedding == "learned"
                x = ClassToken(position_embedding=learned, name="class_token")(x)
            prefix = int(class_token) + num_register_tokens
            self.block_names = [f"block_{i}" for i in range(depth)]
            for name, rate in zip(self.block_names, drop_path_rates(drop_path, depth)):
                x = TransformerEncoder(
                    heads, mlp_dim, drop_path=rate, name=name, **block_args
                )(x)
            x = keras.layers.LayerNormalization(epsilon=_NORM_EPSILON, name="norm")(x)
        outputs = TokenPooling(pooling, prefix, name="pooling")(x)
        if num_classes is not None:
            outputs = keras.layers.Dense(
                num_classes, activation=activation, name="head"
            )(outputs)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.num_prefix_tokens = prefix
        self.arguments = arguments
        self.arguments["classifier_activation"] = keras.activations.serialize(
            activation
        )

    def features_model(self, names: Sequence[str] | None = None) -> keras.Model:
        """A ``keras.Model`` from this model's input to the tokens of each block.

        Args:
            names: layer names to output; None: every transformer block
                (``self.block_names``: ``block_0`` ... ``block_{depth-1}``, each
                ``(batch, prefix + tokens, dim)`` with the first
                ``self.num_prefix_tokens`` tokens the class / register tokens; the
                space-time models have one ``encoder``).

        Returns:
            A functional ``keras.Model`` sharing this model's weights, whose
            outputs are the list of those layers' outputs.
        """
        names = self.block_names if names is None else list(names)
        return keras.Model(self.inputs, [self.get_layer(n).output for n in names])

    def get_config(self) -> Config:
        parameters = inspect.signature(type(self).__init__).parameters
        config = {"name": self.name, "trainable": self.trainable}
        config.update({k: v for k, v in self.arguments.items() if k in parameters})
        return config

    @classmethod
    def from_config(cls, config: Config) -> VisionTransformer:
        return cls(**config)
