"""kx.blocks: attention, autoencoder and TSMixer blocks and the models built from them.

The blocks and models arrive with their own issues; this release holds the package
skeleton so that the dependency chain kx-ops <- kx-layers <- kx-blocks is in place.
"""

__version__ = "0.1.0"
