"""kx.layers: Fourier Neural Operator, merge, wrapper, pooling and resampling layers."""

__version__ = "0.1.0"
