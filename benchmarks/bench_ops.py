"""kx.ops spectral convolution vs the same computation in native complex arithmetic.

The chain of one Fourier-layer spectral convolution, on channels-last input and
output that both sides move channels first around the transforms (as
kx.layers.SpectralConv does: FFTs of contiguous trailing axes are the fast ones,
and tf.signal transforms only trailing axes): rfftn -> truncate_modes ->
complex_einsum with spectral weights -> pad_modes (full-FFT axes) -> irfftn (whose
``s`` zero-pads the half-spectrum axis), written once with kx.ops (float pairs) and
once directly in the backend's complex dtype (jax.numpy.fft / tf.signal / torch.fft
with complex64 weights), at the FNO sizes of issue 3:

* 1-D: batch 20, length 1024, 64 channels, 16 modes;
* 2-D: batch 8, 64x64, 32 channels, 12 modes per sign (12 on the rfft axis).

A third column runs kx.ops' truncated transforms (``truncated_rfftn``,
``complex_einsum``, ``padded_irfftn``) over the channels-last spatial axes, as
kx.layers.SpectralConv does: at these sizes they compute the kept modes as
matrix products (a DFT of only those modes) instead of an FFT.

All three are timed forward and forward+backward (gradients of ``sum(y**2)`` with
respect to the input and the weights), compiled the way each backend trains:
``jax.jit``; ``tf.function`` with and without ``jit_compile``; torch eager. Runs of
the two sides are interleaved; the minimum (the least disturbed run, the figure to
compare on a shared machine) and the median are reported, ratio = kx / native.

    KERAS_BACKEND=jax python benchmarks/bench_ops.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics

import numpy as np

if os.environ.get("KERAS_BACKEND") == "jax":
    os.environ.setdefault("JAX_ENABLE_X64", "0")
if os.environ.get("KERAS_BACKEND") == "tensorflow":
    # torch (where installed) before tensorflow in one process
    if importlib.util.find_spec("torch"):
        import torch  # noqa: F401

import keras
from timing import interleaved

from kx import ops as kops

BACKEND = keras.config.backend()

PROBLEMS = {
    # name: input shape (channels last), modes, einsum (channels first), axes
    "1-D": ((20, 1024, 64), 16, "bix,xio->box", (2,)),
    "2-D": ((8, 64, 64, 32), 12, "bixy,xyio->boxy", (2, 3)),
}


def weight_shape(shape, modes, axes):
    channels = shape[-1]
    kept = [2 * modes] * (len(axes) - 1) + [modes]
    return (*kept, channels, channels)  # kx.layers.SpectralConv's layout


def kx_chain(x, w_re, w_im, modes, subscripts, axes):
    x = keras.ops.moveaxis(x, -1, 1)
    z = kops.truncate_modes(kops.rfftn(x, axes=axes), modes, axes)
    z = kops.complex_einsum(subscripts, z, (w_re, w_im))
    lengths = [x.shape[a] for a in axes]
    # full-FFT axes get their zeros from pad_modes; the half-spectrum axis from
    # irfftn's `s` (numpy semantics), like the native chain below
    z = kops.pad_modes(z, lengths[:-1] + [modes], modes, axes)
    return keras.ops.moveaxis(kops.irfftn(z, s=lengths, axes=axes), 1, -1)


def kx_truncated(x, w_re, w_im, modes, subscripts, axes):
    """The same with kx.ops' truncated transforms, as kx.layers.SpectralConv runs it.

    ``truncated_rfftn`` / ``padded_irfftn`` compute only the kept modes (at these
    sizes as matrix products, ``method="auto"``), over the spatial axes where they
    are: no transposes.
    """
    rank = len(axes)
    space = "xyz"[:rank]
    spatial = tuple(range(1, rank + 1))
    z = kops.truncated_rfftn(x, modes, spatial)
    z = kops.complex_einsum(f"b{space}i,{space}io->b{space}o", z, (w_re, w_im))
    return kops.padded_irfftn(z, [x.shape[a] for a in spatial], modes, spatial)


def native_truncate_pad(z, modes, axes, cat, zeros, spectrum_shape):
    """Complex-dtype truncation and scatter, written with a backend's ``cat``."""

    def take(t, axis, start, stop):
        return t[(slice(None),) * axis + (slice(start, stop),)]

    for axis in axes[:-1]:
        z = cat([take(z, axis, 0, modes), take(z, axis, -modes, None)], axis)
    z = take(z, axes[-1], 0, modes)
    return z, lambda y: _native_pad(y, modes, axes, cat, zeros, spectrum_shape, take)


def _native_pad(y, modes, axes, cat, zeros, full, take):
    """Zeros between the two signs on full-FFT axes; the irfft pads the last axis."""
    for axis in axes[:-1]:
        shape = list(y.shape)
        shape[axis] = full[axis] - 2 * modes
        parts = [take(y, axis, 0, modes), zeros(shape), take(y, axis, modes, None)]
        y = cat(parts, axis)
    return y


# Native implementations ----------------------------------------------------------


def jax_setup():
    import jax
    import jax.numpy as jnp

    def native(x, w, modes, subscripts, axes):
        x = jnp.moveaxis(x, -1, 1)
        z = jnp.fft.rfftn(x, axes=axes)
        kept, pad = native_truncate_pad(
            z, modes, axes, jnp.concatenate, lambda s: jnp.zeros(s, z.dtype), z.shape
        )
        y = pad(jnp.einsum(subscripts, kept, w))
        y = jnp.fft.irfftn(y, s=[x.shape[a] for a in axes], axes=axes)
        return jnp.moveaxis(y, 1, -1)

    def compile_forward(f):
        return jax.jit(f)

    def compile_backward(f):
        return jax.jit(jax.grad(lambda *a: jnp.sum(f(*a) ** 2), argnums=(0, 1, 2)))

    def compile_native_backward(f):
        # complex weights: jax.grad returns the conjugate-convention cotangent
        return jax.jit(jax.grad(lambda *a: jnp.sum(f(*a) ** 2), argnums=(0, 1)))

    def to_backend(a):
        return jnp.asarray(a)

    def block(out):
        jax.block_until_ready(out)

    modes = {"jit": (compile_forward, compile_backward, compile_native_backward)}
    return native, to_backend, block, modes


def tensorflow_setup():
    import tensorflow as tf

    def native(x, w, modes, subscripts, axes):
        rank = len(x.shape)
        perm = [0, rank - 1, *range(1, rank - 1)]
        inner = tuple(range(2, rank))
        xt = tf.transpose(x, perm)
        rfft = {1: tf.signal.rfft, 2: tf.signal.rfft2d}[len(axes)]
        irfft = {1: tf.signal.irfft, 2: tf.signal.irfft2d}[len(axes)]
        z = rfft(xt)
        kept, pad = native_truncate_pad(
            z,
            modes,
            inner,
            lambda p, a: tf.concat(p, a),
            lambda s: tf.zeros(s, z.dtype),
            z.shape,
        )
        y = pad(tf.einsum(subscripts, kept, w))
        out = irfft(y, fft_length=list(xt.shape[2:]))
        return tf.transpose(out, np.argsort(perm).tolist())

    def gradients(f, count):
        def grad(*a):
            with tf.GradientTape() as tape:
                tape.watch(a)
                loss = tf.reduce_sum(f(*a) ** 2)
            return tape.gradient(loss, a[:count])

        return grad

    def compiler(jit):
        def forward(f):
            return tf.function(f, jit_compile=jit)

        def backward(f):
            return tf.function(gradients(f, 3), jit_compile=jit)

        def native_backward(f):
            return tf.function(gradients(f, 2), jit_compile=jit)

        return forward, backward, native_backward

    def to_backend(a):
        return tf.constant(a)

    def block(out):
        tf.nest.map_structure(lambda t: t.numpy(), out)

    modes = {"xla": compiler(True), "graph": compiler(False)}
    return native, to_backend, block, modes


def torch_setup():
    import torch

    torch.set_num_threads(max(1, os.cpu_count() or 1))

    def native(x, w, modes, subscripts, axes):
        x = torch.movedim(x, -1, 1)
        z = torch.fft.rfftn(x, dim=axes)
        kept, pad = native_truncate_pad(
            z,
            modes,
            axes,
            lambda p, a: torch.cat(p, a),
            lambda s: torch.zeros(s, dtype=z.dtype),
            z.shape,
        )
        y = pad(torch.einsum(subscripts, kept, w))
        y = torch.fft.irfftn(y, s=[x.shape[a] for a in axes], dim=axes)
        return torch.movedim(y, 1, -1)

    def forward(f):
        def run(*a):
            with torch.no_grad():
                return f(*a)

        return run

    def backward_for(count):
        def make(f):
            def run(*a):
                a = [t.detach().requires_grad_(i < count) for i, t in enumerate(a)]
                return torch.autograd.grad((f(*a) ** 2).sum(), a[:count])

            return run

        return make

    def to_backend(a):
        return torch.from_numpy(np.ascontiguousarray(a))

    def block(out):
        pass

    modes = {"eager": (forward, backward_for(3), backward_for(2))}
    return native, to_backend, block, modes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args()
    repeats = args.repeats or (5 if args.quick else 30)

    native, to_backend, block, compile_modes = {
        "jax": jax_setup,
        "tensorflow": tensorflow_setup,
        "torch": torch_setup,
    }[BACKEND]()
    print(
        f"backend={BACKEND} keras={keras.__version__} machine={platform.machine()} "
        f"cpus={os.cpu_count()} repeats={repeats} "
        "(ms; ratio = kx / native; kx: rfftn, truncate_modes, complex_einsum, "
        "pad_modes, irfftn; kx trunc: truncated_rfftn, complex_einsum, padded_irfftn)"
    )
    print(
        f"{'problem':<6} {'mode':<6} {'pass':<17} {'stat':<4} {'native':>8} "
        f"{'kx':>8} {'ratio':>6} {'kx trunc':>8} {'ratio':>6}"
    )
    for name, problem in PROBLEMS.items():
        run_problem(name, *problem, native, to_backend, block, compile_modes, repeats)


def run_problem(
    name,
    shape,
    modes,
    subscripts,
    axes,
    native,
    to_backend,
    block,
    compile_modes,
    repeats,
):
    """Time one FNO size in every compile mode; print a row per pass."""
    rng = np.random.default_rng(0)
    wshape = weight_shape(shape, modes, axes)
    x = to_backend(rng.normal(size=shape).astype("float32"))
    w_re_np = (rng.normal(size=wshape) / shape[-1]).astype("float32")
    w_im_np = (rng.normal(size=wshape) / shape[-1]).astype("float32")
    w_re, w_im = to_backend(w_re_np), to_backend(w_im_np)
    w = to_backend((w_re_np + 1j * w_im_np).astype("complex64"))

    def ours(x, w_re, w_im):
        return kx_chain(x, w_re, w_im, modes, subscripts, axes)

    def ours_truncated(x, w_re, w_im):
        return kx_truncated(x, w_re, w_im, modes, subscripts, axes)

    def theirs(x, w):
        return native(x, w, modes, subscripts, axes)

    for mode, (forward, backward, native_backward) in compile_modes.items():
        f_kx, f_trunc, f_nat = forward(ours), forward(ours_truncated), forward(theirs)
        ref = keras.ops.convert_to_numpy(f_nat(x, w))
        for f in (f_kx, f_trunc):
            got = keras.ops.convert_to_numpy(f(x, w_re, w_im))
            assert np.allclose(got, ref, atol=1e-3 * np.abs(ref).max()), "mismatch"
        passes = [
            ("forward", f_nat, f_kx, f_trunc),
            (
                "forward+backward",
                native_backward(theirs),
                backward(ours),
                backward(ours_truncated),
            ),
        ]
        for label, nat_fn, kx_fn, trunc_fn in passes:
            times = interleaved(
                [
                    lambda f=nat_fn: block(f(x, w)),
                    lambda f=kx_fn: block(f(x, w_re, w_im)),
                    lambda f=trunc_fn: block(f(x, w_re, w_im)),
                ],
                warmup=2,
                rounds=repeats,
            )
            for stat, reduce in (("min", min), ("med", statistics.median)):
                nat, kx, trunc = (reduce(t) for t in times)
                print(
                    f"{name:<6} {mode:<6} {label:<17} {stat:<4} {nat * 1e3:8.2f} "
                    f"{kx * 1e3:8.2f} {kx / nat:6.2f} {trunc * 1e3:8.2f} "
                    f"{trunc / nat:6.2f}"
                )


if __name__ == "__main__":
    main()
