"""kx.vision: the K3IM image-model family in 1D, 2D, 3D and space-time.

This release holds the shared vision layers (:mod:`kx.vision.layers`), the ViT
family (:mod:`kx.vision.models`: ViT, SimpleViT, SimpleViT-FFT, SimpleViT with
register tokens, in 1D, 2D, 3D and space-time) and named presets in timm's naming
(:func:`create_model`, :func:`list_models`). Everything is importable from here.
"""

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
    resample_grid,
    sincos_embedding,
)
from kx.vision.models import (
    SimpleViT1D,
    SimpleViT2D,
    SimpleViT3D,
    SimpleViTFFT2D,
    SimpleViTRegisterTokens2D,
    SimpleViTSpaceTime,
    VisionTransformer,
    ViT1D,
    ViT2D,
    ViT3D,
    ViTSpaceTime,
)
from kx.vision.presets import PRESETS, create_model, list_models

__version__ = "0.1.0"

__all__ = [
    "POOLINGS",
    "PRESETS",
    "ClassToken",
    "FourierFeatures",
    "LearnedPositionEmbedding",
    "PatchEmbedding",
    "RegisterTokens",
    "SimpleViT1D",
    "SimpleViT2D",
    "SimpleViT3D",
    "SimpleViTFFT2D",
    "SimpleViTRegisterTokens2D",
    "SimpleViTSpaceTime",
    "SinCosPositionEmbedding",
    "SpaceTimeEncoder",
    "TokenPooling",
    "ViT1D",
    "ViT2D",
    "ViT3D",
    "ViTSpaceTime",
    "VisionTransformer",
    "create_model",
    "drop_path_rates",
    "list_models",
    "resample_grid",
    "sincos_embedding",
]
