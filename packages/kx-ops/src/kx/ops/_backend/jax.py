"""kx.ops's hooks on jax: jax.numpy's FFTs and einsum in the native complex
dtype, ``jax.lax.scan``, a written-out layer norm, gelu written with ``erf``
and ``jax.custom_vjp``.

The hooks are described in :mod:`kx.ops._backend`; ``as_complex``, ``split`` and
``ltc_unfolds`` are torch-only: here they are :mod:`fallback`'s, which return
None (the portable code runs).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kx.ops._backend.fallback import as_complex, ltc_unfolds, split  # noqa: F401


def rfftn(x, axes, norm):
    z = jnp.fft.rfftn(x, axes=axes, norm=norm)
    return jnp.real(z), jnp.imag(z)


def irfftn(re, im, axes, n_last, norm):
    s = [re.shape[a] for a in axes[:-1]] + [n_last]
    return jnp.fft.irfftn(jax.lax.complex(re, im), s=s, axes=axes, norm=norm)


def fftn(re, im, axes, norm, inverse):
    transform = jnp.fft.ifftn if inverse else jnp.fft.fftn
    z = transform(jax.lax.complex(re, im), axes=axes, norm=norm)
    return jnp.real(z), jnp.imag(z)


def einsum(subscripts, ar, ai, br, bi):
    z = jnp.einsum(subscripts, jax.lax.complex(ar, ai), jax.lax.complex(br, bi))
    return jnp.real(z), jnp.imag(z)


def scan(f, init, xs, reverse):
    return jax.lax.scan(f, init, xs, reverse=reverse)


def gelu(x):
    # erf, where jax.nn.gelu's exact form uses erfc (an exp per element in XLA)
    return 0.5 * x * (1.0 + jax.lax.erf(x * jnp.asarray(0.7071067811865476, x.dtype)))


def layer_norm(x, gamma, beta, epsilon):
    # written out, XLA fuses it; measured faster on jax than
    # keras.ops.layer_normalization in a transformer train step
    dtype = x.dtype
    if dtype in (jnp.float16, jnp.bfloat16):
        x = x.astype(jnp.float32)
    centered = x - jnp.mean(x, axis=-1, keepdims=True)
    variance = jnp.mean(jnp.square(centered), axis=-1, keepdims=True)
    y = (centered * jax.lax.rsqrt(variance + epsilon)).astype(dtype)
    return y * gamma.astype(dtype) + beta.astype(dtype)


def with_gradient(forward, backward):
    @jax.custom_vjp
    def function(*xs):
        return forward(*xs)[0]

    def function_fwd(*xs):
        out, saved = forward(*xs)
        return out, (xs, saved)

    def function_bwd(residuals, grad):
        xs, saved = residuals
        grads = backward(xs, saved, grad)
        return tuple(jnp.zeros_like(x) if g is None else g for x, g in zip(xs, grads))

    function.defvjp(function_fwd, function_bwd)
    return function
