"""The backend kernels (FFTs, complex einsum, LTC solver): the only
backend-specific code in kx.

One module per backend (``jax.py``, ``tensorflow.py``, ``torch.py``) defines these
hooks as module-level functions; this package imports the one of
:func:`keras.config.backend` (and only that backend's library) and exposes its
hooks by name. A hook a backend does not provide is imported there from
``fallback.py`` and returns None, and the portable code runs. The hooks are the
names in ``__all__``; the FFTs work on float32/float64 tensors whose transformed
lengths are already exact (kx.ops.fft crops and pads for ``s`` portably):

* ``rfftn(x, axes, norm) -> (re, im)``
* ``irfftn(re, im, axes, n_last, norm) -> x`` (``n_last``: output length of the
  last axis, whose input may have fewer than ``n_last // 2 + 1`` bins: the FFT
  zero-pads them; the other axes keep their length)
* ``fftn(re, im, axes, norm, inverse) -> (re, im)``
* ``einsum(subscripts, ar, ai, br, bi) -> (re, im)``: in the native complex dtype
  (jax, tensorflow), as two contiguous real bmm of stacked parts (torch); it may
  return None for a contraction it does not plan, and the portable real einsum of
  stacked parts runs instead
* ``as_complex(re, im, copy)`` and ``split(z)``: torch's complex tensor of a pair
  that is exactly its two parts, and back (None on jax and tensorflow)
* ``ltc_unfolds(v, num, den, cm, sigma, sigma_mu, w, w_erev, sources, targets,
  n)``: kx.ops.ltc_unfolds with ``sources``/``targets`` as int64 bytes; torch
  only (None elsewhere: the portable ``keras.ops`` loop runs)
* ``scan(f, init, xs, reverse)``: ``jax.lax.scan`` for a single tensor carry
  and flat tuples of tensors ``xs`` (scanned over their first axis) and ``ys``
  (keras.ops.scan's tensorflow version needs ``ys`` shaped like the carry)
* ``with_gradient(forward, backward)``: a function of tensors whose value is
  ``forward(*xs) -> (out, saved)``'s ``out`` and whose gradient is
  ``backward(xs, saved, grad)`` (one gradient per input, None for none): jax's
  ``custom_vjp``, tensorflow's ``custom_gradient`` (both halves compiled with XLA
  in graph mode), a torch ``autograd.Function``
* ``layer_norm(x, gamma, beta, epsilon)``: layer normalization over the last
  axis, written out on jax, torch's fused kernel on torch (None on tensorflow:
  ``keras.ops.layer_normalization`` runs)
* ``gelu(x)``: Keras's exact gelu written with ``erf`` (jax, tensorflow: XLA's
  ``erfc`` in Keras's form costs an exponential per element); None on torch

jax and torch use their own FFTs, whose autodiff is right. tensorflow's
``tf.signal`` works on innermost axes only, so axes are moved there and back, and
its real FFTs get gradients written out in ``tensorflow.py`` (the adjoint
transforms), because the built-in gradients of ``irfft*`` do not match the
real/imaginary-pair semantics for every length and ``s``.
"""

from __future__ import annotations

import importlib

import keras

__all__ = [
    "rfftn",
    "irfftn",
    "fftn",
    "einsum",
    "as_complex",
    "split",
    "ltc_unfolds",
    "scan",
    "with_gradient",
    "layer_norm",
    "gelu",
]

BACKENDS = ("jax", "tensorflow", "torch")


def _active():
    """The module of hooks for the Keras backend (imports that backend only)."""
    name = keras.config.backend()
    if name not in BACKENDS:
        raise ValueError(
            f"kx.ops supports the backends {sorted(BACKENDS)}; the Keras "
            f"backend is {name!r}. Set KERAS_BACKEND to one of them."
        )
    return importlib.import_module(f"{__name__}.{name}")


_hooks = _active()
rfftn = _hooks.rfftn
irfftn = _hooks.irfftn
fftn = _hooks.fftn
einsum = _hooks.einsum
as_complex = _hooks.as_complex
split = _hooks.split
ltc_unfolds = _hooks.ltc_unfolds
scan = _hooks.scan
with_gradient = _hooks.with_gradient
layer_norm = _hooks.layer_norm
gelu = _hooks.gelu
