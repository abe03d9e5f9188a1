"""kx.ops's hooks on tensorflow: ``tf.signal``'s FFTs over innermost axes (moved
there and back) with their real-FFT gradients written out as the adjoint
transforms, einsum in the native complex dtype, a ``tf.while_loop`` scan that
XLA compiles, and ``tf.custom_gradient`` (both halves compiled with XLA in graph
mode) for ``with_gradient``, and gelu written with ``erf``.

The hooks are described in :mod:`kx.ops._backend`; ``as_complex``, ``split``,
``ltc_unfolds`` and ``layer_norm`` are :mod:`fallback`'s, which return None
(the portable code runs); names with a leading underscore are this module's
helpers, not hooks.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from kx.ops._backend.fallback import as_complex, layer_norm, ltc_unfolds, split  # noqa: F401
from kx.ops._backend.python_scan import python_scan

_FORWARD_SCALE = {"backward": 0.0, "ortho": -0.5, "forward": -1.0}

_KERNELS = {
    "rfft": (tf.signal.rfft, tf.signal.rfft2d, tf.signal.rfft3d),
    "irfft": (tf.signal.irfft, tf.signal.irfft2d, tf.signal.irfft3d),
    "fft": (tf.signal.fft, tf.signal.fft2d, tf.signal.fft3d),
    "ifft": (tf.signal.ifft, tf.signal.ifft2d, tf.signal.ifft3d),
}


def _length(x, axis):
    static = x.shape[axis]
    return static if static is not None else tf.shape(x)[axis]


def _count(x, axes, dtype, n_last=None):
    lengths = [_length(x, a) for a in axes]
    if n_last is not None:
        lengths[-1] = n_last
    if all(isinstance(n, int) for n in lengths):
        return tf.constant(float(math.prod(lengths)), dtype)
    return tf.cast(tf.reduce_prod(tf.stack(lengths)), dtype)


def _scaled(tensors, x, axes, norm, inverse, n_last=None):
    # tf.signal's forward transforms are unscaled, its inverses scale by 1/N
    power = -_FORWARD_SCALE[norm] if inverse else _FORWARD_SCALE[norm]
    if power == 0.0:
        return tensors
    factor = _count(x, axes, tensors[0].dtype, n_last) ** power
    return tuple(t * factor for t in tensors)


def _inner(kind, z, axes, fft_length=None):
    """Apply a ``tf.signal`` kernel over ``axes`` by moving them innermost."""
    ndim = len(z.shape)
    perm = [a for a in range(ndim) if a not in axes] + list(axes)
    moved = perm != list(range(ndim))
    if moved:
        z = tf.transpose(z, perm)
    kernel = _KERNELS[kind][len(axes) - 1]
    z = kernel(z) if fft_length is None else kernel(z, fft_length=fft_length)
    if moved:
        z = tf.transpose(z, np.argsort(perm).tolist())
    return z


def _half_weights(n_last, bins, ndim, axis, dtype):
    """1 on the DC (and even-length Nyquist) bin, 2 elsewhere, along ``axis``."""
    k = tf.range(bins)
    interior = tf.logical_and(k > 0, 2 * k != n_last)
    weights = tf.where(interior, tf.constant(2.0, dtype), tf.constant(1.0, dtype))
    return tf.reshape(weights, [-1] + [1] * (ndim - 1 - axis))


def _rfft_raw(x, axes):
    lengths = [_length(x, a) for a in axes]
    z = _inner("rfft", x, axes, lengths)
    return tf.math.real(z), tf.math.imag(z)


def _irfft_raw(re, im, axes, n_last):
    lengths = [_length(re, a) for a in axes[:-1]] + [n_last]
    return _inner("irfft", tf.complex(re, im), axes, lengths)


def _zeros_if_none(grad, like):
    return tf.zeros_like(like) if grad is None else grad


def rfftn(x, axes, norm):
    n_last = _length(x, axes[-1])

    @tf.custom_gradient
    def transform(x):
        re, im = _rfft_raw(x, axes)

        def grad(g_re, g_im):
            g_re, g_im = _zeros_if_none(g_re, re), _zeros_if_none(g_im, im)
            # adjoint of the half-spectrum rfftn: N * irfftn of g / weights
            w = 1.0 / _half_weights(
                n_last, _length(re, axes[-1]), len(x.shape), axes[-1], x.dtype
            )
            g = _irfft_raw(g_re * w, g_im * w, axes, n_last)
            return g * _count(x, axes, x.dtype)

        return (re, im), grad

    return _scaled(transform(x), x, axes, norm, inverse=False)


def irfftn(re, im, axes, n_last, norm):
    @tf.custom_gradient
    def transform(re, im):
        x = _irfft_raw(re, im, axes, n_last)

        def grad(g):
            # adjoint of irfftn: rfftn(g) * weights / N (imag of DC/Nyquist: 0)
            g_re, g_im = _rfft_raw(g, axes)
            bins = _length(re, axes[-1])  # fewer than n_last // 2 + 1: padded
            crop = (slice(None),) * axes[-1] + (slice(0, bins),)
            g_re, g_im = g_re[crop], g_im[crop]
            w = _half_weights(
                n_last, _length(re, axes[-1]), len(re.shape), axes[-1], re.dtype
            ) / _count(x, axes, re.dtype)
            return g_re * w, g_im * w

        return x, grad

    x = transform(re, im)
    return _scaled((x,), re, axes, norm, inverse=True, n_last=n_last)[0]


def fftn(re, im, axes, norm, inverse):
    z = _inner("ifft" if inverse else "fft", tf.complex(re, im), axes)
    return _scaled((tf.math.real(z), tf.math.imag(z)), re, axes, norm, inverse)


def gelu(x):
    # erf, where tf.nn.gelu's exact form uses erfc (an exp per element in XLA)
    return 0.5 * x * (1.0 + tf.math.erf(x * tf.cast(0.7071067811865476, x.dtype)))


def einsum(subscripts, ar, ai, br, bi):
    z = tf.einsum(subscripts, tf.complex(ar, ai), tf.complex(br, bi))
    return tf.math.real(z), tf.math.imag(z)


def scan(f, init, xs, reverse):
    if tf.executing_eagerly():
        return python_scan(f, init, xs, reverse, tf.stack)
    # a static length where there is one, and maximum_iterations: XLA needs
    # both to compile the loop and its gradient (jit_compile=True)
    steps = xs[0].shape[0]
    steps = tf.shape(xs[0])[0] if steps is None else steps
    inputs = [
        tf.TensorArray(x.dtype, size=steps, element_shape=x.shape[1:]).unstack(x)
        for x in xs
    ]
    probe = f(init, tuple(x[0] for x in xs))[1]  # dead ops: only for the specs
    outputs = [
        tf.TensorArray(y.dtype, size=steps, element_shape=y.shape) for y in probe
    ]

    def body(t, carry, outputs):
        carry, ys = f(carry, tuple(x.read(t) for x in inputs))
        outputs = [o.write(t, y) for o, y in zip(outputs, ys)]
        return (t - 1 if reverse else t + 1), carry, outputs

    _, carry, outputs = tf.while_loop(
        lambda t, *_: t >= 0 if reverse else t < steps,
        body,
        (steps - 1 if reverse else 0, init, outputs),
        maximum_iterations=steps,
    )
    return carry, tuple(o.stack() for o in outputs)


def with_gradient(forward, backward):
    def function(*xs):
        fwd, bwd = forward, backward
        if not tf.executing_eagerly():
            # XLA clusters in graph mode: on CPU, where keras leaves XLA off,
            # a compiled loop pays far less per step than the graph executor
            fwd = tf.function(forward, jit_compile=True, autograph=False)
            bwd = tf.function(backward, jit_compile=True, autograph=False)

        @tf.custom_gradient
        def call(*xs):
            out, saved = fwd(*xs)

            def grad(g):
                return list(bwd(xs, saved, g))

            return out, grad

        return call(*xs)

    return function
