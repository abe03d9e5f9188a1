"""kx.blocks.models: models assembled from the kx blocks (kerex's ``models``)."""

from kx.blocks.models.tsmixer import TSMixer

__all__ = ["TSMixer"]
