"""kx.layers: Fourier Neural Operator, merge, wrapper, pooling and resampling layers.

Drop-in for the layers of ``kerex.layers`` (same class names and constructor
arguments) on the jax, tensorflow and torch backends.
"""

from kx.layers.fno import FNO, FNO1D, FNO2D, FNO3D
from kx.layers.positional_embedding import (
    GridEmbedding,
    GridEmbedding1D,
    GridEmbedding2D,
    GridEmbedding3D,
)
from kx.layers.spectral_conv import (
    SpectralConv,
    SpectralConv1D,
    SpectralConv2D,
    SpectralConv3D,
)

__version__ = "0.1.0"

__all__ = [
    "FNO",
    "FNO1D",
    "FNO2D",
    "FNO3D",
    "GridEmbedding",
    "GridEmbedding1D",
    "GridEmbedding2D",
    "GridEmbedding3D",
    "SpectralConv",
    "SpectralConv1D",
    "SpectralConv2D",
    "SpectralConv3D",
]
