"""kx.blocks: attention, transformer and TSMixer blocks and the models built from
them.

Drop-in for the blocks of ``kerex.blocks`` (same class names and constructor
arguments, all usable by keyword) on the jax, tensorflow and torch backends; the
models are in :mod:`kx.blocks.models` (``TSMixer`` is also importable from here).
"""

from kx.blocks.attention import CausalSelfAttention, CrossAttention, GlobalSelfAttention
from kx.blocks.feed_forward import FeedForward
from kx.blocks.models.tsmixer import TSMixer
from kx.blocks.regularization import DropPath, LayerScale
from kx.blocks.transformer import TransformerEncoder, multi_head_attention
from kx.blocks.tsmixer import TSMixerBlock

__version__ = "0.1.0"

__all__ = [
    "CausalSelfAttention",
    "CrossAttention",
    "DropPath",
    "FeedForward",
    "GlobalSelfAttention",
    "LayerScale",
    "TSMixer",
    "TSMixerBlock",
    "TransformerEncoder",
    "multi_head_attention",
]
