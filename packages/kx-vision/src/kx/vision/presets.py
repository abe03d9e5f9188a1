"""Named model configurations in timm's naming: ``create_model`` and
``list_models``. Configurations only: no weights are downloaded."""

from __future__ import annotations

from typing import Any

from kx.ops import checks
from kx.vision.models import VisionTransformer, ViT2D

__all__ = ["PRESETS", "create_model", "list_models"]


def _vit(patch, size, dim, depth, heads):
    return {
        "input_shape": (size, size, 3),
        "patch_size": patch,
        "num_classes": 1000,
        "pooling": "cls",
        "dim": dim,
        "depth": depth,
        "heads": heads,
        "mlp_dim": 4 * dim,
    }


# name -> (class, arguments); each count is asserted in the tests (hand count and
# timm's published number)
PRESETS = {
    "vit_tiny_patch16_224": (ViT2D, _vit(16, 224, 192, 12, 3)),
    "vit_tiny_patch16_384": (ViT2D, _vit(16, 384, 192, 12, 3)),
    "vit_small_patch16_224": (ViT2D, _vit(16, 224, 384, 12, 6)),
    "vit_small_patch32_224": (ViT2D, _vit(32, 224, 384, 12, 6)),
    "vit_base_patch16_224": (ViT2D, _vit(16, 224, 768, 12, 12)),
    "vit_base_patch32_224": (ViT2D, _vit(32, 224, 768, 12, 12)),
    "vit_base_patch16_384": (ViT2D, _vit(16, 384, 768, 12, 12)),
    "vit_large_patch16_224": (ViT2D, _vit(16, 224, 1024, 24, 16)),
}


def list_models() -> list[str]:
    """The preset names, sorted.

    Example:

    >>> "vit_base_patch16_224" in list_models()
    True
    """
    return sorted(PRESETS)


def create_model(name: str, **overrides: Any) -> VisionTransformer:
    """A new, randomly initialised model of the named preset.

    Args:
        name: one of :func:`list_models` (timm's names).
        **overrides: constructor arguments that replace the preset's, e.g.
            ``num_classes=10`` or ``input_shape=(32, 32, 3)``.

    Returns:
        The model (a ``keras.Model``; no weights are loaded).

    Example:

    >>> model = create_model("vit_tiny_patch16_224", input_shape=(32, 32, 3), depth=1)
    >>> tuple(model.output.shape)
    (None, 1000)
    """
    checks.one_of(name, "name", list_models(), "create_model")
    cls, arguments = PRESETS[name]
    return cls(**{**arguments, **overrides, "name": overrides.get("name", name)})
