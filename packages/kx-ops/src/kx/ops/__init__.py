"""kx.ops: complex numbers as ``(real, imag)`` pairs over ``keras.ops``.

The core of the kx family: n-dimensional real and complex FFTs with numpy.fft's
names and semantics, spectral truncation and Fourier resampling, complex products,
the liquid time-constant solver loop (``ltc_unfolds``), a loop over steps
(``scan``), the closed-form continuous-time state update and recurrence
(``cfc_update``, ``cfc_recurrence`` with its backward written out), Tucker and
CP factorized tensors (``tucker_to_tensor``, ``cp_to_tensor``, and their rank
rules ``tucker_rank``, ``cp_rank``), ``tanh`` and ``matmul`` that keep float64, Keras's
exact ``gelu`` computed faster on XLA (``fast_activation``), and the
layer-test harness in :mod:`kx.ops.testing`. Works on the jax, tensorflow and torch
backends.
"""

from kx.ops.activations import fast_activation, gelu
from kx.ops.cfc import cfc_recurrence, cfc_update
from kx.ops.complex_math import abs, complex_einsum, complex_multiply, conj
from kx.ops.factorized import cp_rank, cp_to_tensor, tucker_rank, tucker_to_tensor
from kx.ops.fft import (
    fft,
    fft2,
    fft_dtype,
    fftn,
    ifft,
    ifft2,
    ifftn,
    irfft,
    irfft2,
    irfftn,
    rfft,
    rfft2,
    rfftn,
)
from kx.ops.float64 import matmul, tanh
from kx.ops.loops import scan
from kx.ops.ltc import ltc_unfolds
from kx.ops.normalization import layer_norm
from kx.ops.resampling import fourier_resample
from kx.ops.spectral import check_modes_fit, pad_modes, truncate_modes
from kx.ops.truncated import (
    dft_flops,
    dft_is_cheaper,
    fft_flops,
    padded_irfftn,
    truncated_rfftn,
)

__version__ = "0.1.0"

__all__ = [
    "abs",
    "cfc_recurrence",
    "check_modes_fit",
    "cfc_update",
    "complex_einsum",
    "complex_multiply",
    "conj",
    "cp_rank",
    "cp_to_tensor",
    "dft_flops",
    "dft_is_cheaper",
    "fast_activation",
    "fft",
    "fft2",
    "fft_dtype",
    "fft_flops",
    "fftn",
    "fourier_resample",
    "gelu",
    "ifft",
    "ifft2",
    "ifftn",
    "irfft",
    "irfft2",
    "irfftn",
    "layer_norm",
    "ltc_unfolds",
    "matmul",
    "pad_modes",
    "padded_irfftn",
    "rfft",
    "rfft2",
    "rfftn",
    "scan",
    "tanh",
    "truncate_modes",
    "truncated_rfftn",
    "tucker_rank",
    "tucker_to_tensor",
]
