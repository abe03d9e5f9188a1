"""kx.vision.models: the ViT family (also importable from ``kx.vision``)."""

from kx.vision.models.simple_vit import (
    SimpleViT1D,
    SimpleViT2D,
    SimpleViT3D,
    SimpleViTFFT2D,
    SimpleViTRegisterTokens2D,
    SimpleViTSpaceTime,
)
from kx.vision.models.vision_transformer import VisionTransformer
from kx.vision.models.vit import ViT1D, ViT2D, ViT3D, ViTSpaceTime

__all__ = [
    "SimpleViT1D",
    "SimpleViT2D",
    "SimpleViT3D",
    "SimpleViTFFT2D",
    "SimpleViTRegisterTokens2D",
    "SimpleViTSpaceTime",
    "ViT1D",
    "ViT2D",
    "ViT3D",
    "ViTSpaceTime",
    "VisionTransformer",
]
