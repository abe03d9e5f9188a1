"""kx.layers: Fourier Neural Operator, merge, wrapper, pooling and resampling layers.

Drop-in for the layers of ``kerex.layers`` (same class names and constructor
arguments) on the jax, tensorflow and torch backends.
"""

from __future__ import annotations

from kx.layers.attention_gate import AttentionGate
from kx.layers.attention_pooling import (
    AttentionPooling,
    AttentionPooling1D,
    AttentionPooling2D,
    AttentionPooling3D,
)
from kx.layers.cbam import CBAM
from kx.layers.channel_attention import ChannelAttention
from kx.layers.channel_attention_module import (
    ChannelAttentionModule,
    ChannelAttentionModule1D,
    ChannelAttentionModule2D,
    ChannelAttentionModule3D,
)
from kx.layers.fft_upsampling import (
    FFTUpSampling,
    FFTUpSampling1D,
    FFTUpSampling2D,
    FFTUpSampling3D,
)
from kx.layers.film import FiLM
from kx.layers.fno import FNO, FNO1D, FNO2D, FNO3D
from kx.layers.grid_embedding import (
    GridEmbedding,
    GridEmbedding1D,
    GridEmbedding2D,
    GridEmbedding3D,
)
from kx.layers.residual import Residual
from kx.layers.smooth_upsampling import (
    SmoothUpSampling,
    SmoothUpSampling1D,
    SmoothUpSampling2D,
    SmoothUpSampling3D,
)
from kx.layers.spatial_attention import SpatialAttention
from kx.layers.spectral_conv import (
    SpectralConv,
    SpectralConv1D,
    SpectralConv2D,
    SpectralConv3D,
)
from kx.layers.temporal_slice import TemporalSlice
from kx.layers.weight_normalization import WeightNormalization

__version__ = "0.1.0"

__all__ = [
    "CBAM",
    "FNO",
    "FNO1D",
    "FNO2D",
    "FNO3D",
    "AttentionGate",
    "AttentionPooling",
    "AttentionPooling1D",
    "AttentionPooling2D",
    "AttentionPooling3D",
    "ChannelAttention",
    "ChannelAttentionModule",
    "ChannelAttentionModule1D",
    "ChannelAttentionModule2D",
    "ChannelAttentionModule3D",
    "FFTUpSampling",
    "FFTUpSampling1D",
    "FFTUpSampling2D",
    "FFTUpSampling3D",
    "FiLM",
    "GridEmbedding",
    "GridEmbedding1D",
    "GridEmbedding2D",
    "GridEmbedding3D",
    "Residual",
    "SmoothUpSampling",
    "SmoothUpSampling1D",
    "SmoothUpSampling2D",
    "SmoothUpSampling3D",
    "SpatialAttention",
    "SpectralConv",
    "SpectralConv1D",
    "SpectralConv2D",
    "SpectralConv3D",
    "TemporalSlice",
    "WeightNormalization",
]
