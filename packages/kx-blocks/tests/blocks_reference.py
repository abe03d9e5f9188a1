"""numpy versions of the equations the kx-blocks tests check against."""

import keras
import numpy as np


def to_numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x), dtype="float64")


def softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def layer_norm(x, gamma, beta, eps, axes=(-1,)):
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def attention(q, k, v, mask=None):
    """Softmax attention of (batch, steps, heads, dim) arrays, written out.

    ``mask``: None or bool broadcastable to (batch, heads, target, source).
    """
    logits = np.einsum("bthd,bshd->bhts", q, k) / np.sqrt(q.shape[-1])
    if mask is not None:
        logits = np.where(mask, logits, -np.inf)
    return np.einsum("bhts,bshd->bthd", softmax(logits), v)


def causal_mask(t, s):
    return np.arange(t)[:, None] >= np.arange(s)[None, :]


# Eager jax compiles each operation on its own: the harness's eager Sequential
# training check is most of a harness run there. GlobalSelfAttention's harness runs
# it; the other blocks' harness runs compile that check too on jax (it stays eager
# on tensorflow and torch).
EAGER_TRAINING = keras.config.backend() != "jax"
