"""kx.ops: complex numbers as ``(real, imag)`` pairs over ``keras.ops``.

The core of the kx family: n-dimensional real and complex FFTs with numpy.fft's
names and semantics, spectral truncation, complex products, and the layer-test
harness in :mod:`kx.ops.testing`. Works on the jax, tensorflow and torch backends.
"""

__version__ = "0.1.0"
