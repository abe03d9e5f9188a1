"""kx.vision: the K3IM image-model family in 1D, 2D, 3D and space-time.

The models arrive with their own issues; this release holds the package skeleton so
that the dependency chain kx-ops <- kx-layers <- kx-blocks <- kx-vision is in place.
"""

__version__ = "0.1.0"
