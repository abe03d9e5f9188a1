"""kx.blocks: attention, transformer, TSMixer, encoder and decoder blocks and the
models built from them.

Drop-in for the blocks of ``kerex.blocks`` (same class names and constructor
arguments, all usable by keyword) on the jax, tensorflow and torch backends; the
models are in :mod:`kx.blocks.models` (``TSMixer`` is also importable from here).
"""

from kx.blocks.attention import CausalSelfAttention, CrossAttention, GlobalSelfAttention
from kx.blocks.decoder import (
    Decoder,
    Decoder1D,
    Decoder2D,
    Decoder3D,
    FourierDecoder,
    FourierDecoder1D,
    FourierDecoder2D,
    FourierDecoder3D,
    SmoothDecoder,
    SmoothDecoder1D,
    SmoothDecoder2D,
    SmoothDecoder3D,
)
from kx.blocks.encoder import Encoder, Encoder1D, Encoder2D, Encoder3D
from kx.blocks.feed_forward import FeedForward
from kx.blocks.models.neural_operator import (
    NeuralOperator,
    NeuralOperator1D,
    NeuralOperator2D,
    NeuralOperator3D,
)
from kx.blocks.models.tsmixer import TSMixer
from kx.blocks.regularization import DropPath, LayerScale
from kx.blocks.transformer import TransformerEncoder, multi_head_attention
from kx.blocks.tsmixer import TSMixerBlock

__version__ = "0.1.0"

__all__ = [
    "CausalSelfAttention",
    "CrossAttention",
    "Decoder",
    "Decoder1D",
    "Decoder2D",
    "Decoder3D",
    "DropPath",
    "Encoder",
    "Encoder1D",
    "Encoder2D",
    "Encoder3D",
    "FeedForward",
    "FourierDecoder",
    "FourierDecoder1D",
    "FourierDecoder2D",
    "FourierDecoder3D",
    "GlobalSelfAttention",
    "LayerScale",
    "NeuralOperator",
    "NeuralOperator1D",
    "NeuralOperator2D",
    "NeuralOperator3D",
    "SmoothDecoder",
    "SmoothDecoder1D",
    "SmoothDecoder2D",
    "SmoothDecoder3D",
    "TSMixer",
    "TSMixerBlock",
    "TransformerEncoder",
    "multi_head_attention",
]
