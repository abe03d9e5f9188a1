"""kx.vision.layers: the layers every kx.vision model shares (also importable from
``kx.vision``)."""

from kx.vision.layers.fourier_features import FourierFeatures
from kx.vision.layers.patch_embedding import PatchEmbedding
from kx.vision.layers.position_embedding import (
    LearnedPositionEmbedding,
    SinCosPositionEmbedding,
    resample_grid,
    sincos_embedding,
)
from kx.vision.layers.space_time_encoder import SpaceTimeEncoder, drop_path_rates
from kx.vision.layers.tokens import POOLINGS, ClassToken, RegisterTokens, TokenPooling

__all__ = [
    "POOLINGS",
    "ClassToken",
    "FourierFeatures",
    "LearnedPositionEmbedding",
    "PatchEmbedding",
    "RegisterTokens",
    "SinCosPositionEmbedding",
    "SpaceTimeEncoder",
    "TokenPooling",
    "drop_path_rates",
    "resample_grid",
    "sincos_embedding",
]
