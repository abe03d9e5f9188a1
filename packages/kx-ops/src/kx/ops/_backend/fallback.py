"""The hooks a backend may not provide: each returns None, and its caller runs the
portable code instead (kx.ops works on the (real, imag) pair, the ``keras.ops``
LTC loop, ``keras.ops.layer_normalization``, Keras's gelu). A backend module
imports the ones it lacks from here, so that it still defines every hook."""

from __future__ import annotations

__all__ = ["as_complex", "gelu", "layer_norm", "ltc_unfolds", "split"]


def as_complex(re, im, copy):
    """None: no complex tensor; kx.ops works on the pair."""
    return None


def split(z):
    """None (as_complex never returns a complex tensor where this is the hook)."""
    return None


def ltc_unfolds(v, num, den, cm, sigma, sigma_mu, w, w_erev, sources, targets, n):
    """None: the portable keras.ops loop of kx.ops.ltc_unfolds runs."""
    return None


def layer_norm(x, gamma, beta, epsilon):
    """None: keras.ops.layer_normalization runs."""
    return None


def gelu(x):
    """None: keras.activations.gelu runs."""
    return None
