"""FNO step time against resolution and modes, and the DFT/FFT crossover.

Runs, in one process on the backend named by ``KERAS_BACKEND``:

* ``crossover``: one train step (SGD on a mean-squared error) of a layer that is
  SpectralConv's spectral path (``kx.ops.truncated_rfftn``, the complex channel
  mix, ``kx.ops.padded_irfftn``) with the method forced to ``"dft"`` (kept-mode
  matrix products) or ``"fft"``, at batch 20, width 64, over lengths 256 to 8192
  and kept modes 4 to 256 (1-D), and at batch 8, width 32, over 32x32 to
  128x128 and 4 to 24 modes of each sign (2-D), both methods timed in
  interleaved rounds. For each length it prints the largest ``m`` at which the
  DFT is still faster, the kept count of its widest axis (``m`` in 1-D, ``2 m``
  in 2-D) over ``log2(n)`` (the factor ``kx.ops.dft_is_cheaper`` compares with),
  and the largest ``m`` for which ``"auto"`` picks the DFT;
* ``scaling``: the bench_layers FNO stacks' train step at 256 to 8192 points
  (1-D) and 32x32 to 256x256 (2-D), and at 4 to 64 modes, with the matmul FLOPs
  of each (``flops.py``) and the rate reached: the step time should follow the
  FLOP count.

Usage::

    KERAS_BACKEND=jax python benchmarks/bench_scaling.py [--quick] [--only crossover]
    nox -s bench -- --only scaling
"""

from __future__ import annotations

import argparse
import math
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
if os.environ["KERAS_BACKEND"] == "torch":
    import torch  # noqa: F401  (torch before tensorflow)

import flops
import keras
from bench_layers import fno_stack
from timing import interleaved

from kx import ops as kx_ops

# (batch, width) of the crossover runs, per rank: the bench_layers stacks'
SHAPES = {1: (20, 64), 2: (8, 32)}


class _SpectralPath(keras.layers.Layer):
    """SpectralConv's spectral path (channels last) with a fixed method."""

    def __init__(self, modes, method, **kwargs):
        super().__init__(**kwargs)
        self.modes, self.method = tuple(modes), method

    def build(self, input_shape):
        kept = tuple(2 * m for m in self.modes[:-1]) + (self.modes[-1],)
        shape = (*kept, input_shape[-1], input_shape[-1])
        self.re = self.add_weight(shape=shape, initializer="lecun_normal")
        self.im = self.add_weight(shape=shape, initializer="lecun_normal")

    def call(self, x):
        rank = len(self.modes)
        axes = tuple(range(1, rank + 1))
        space = "xyz"[:rank]
        z = kx_ops.truncated_rfftn(x, self.modes, axes, "forward", self.method)
        z = kx_ops.complex_einsum(
            f"b{space}i,{space}io->b{space}o", z, (self.re, self.im)
        )
        sizes = tuple(x.shape[a] for a in axes)
        return kx_ops.padded_irfftn(z, sizes, self.modes, axes, "forward", self.method)


def _step(model, shape):
    jit = keras.config.backend() in ("jax", "tensorflow")
    model.compile(optimizer="sgd", loss="mse", jit_compile=jit)
    rng = np.random.default_rng()
    x = rng.standard_normal(shape).astype("float32")
    y = rng.standard_normal(model.compute_output_shape(shape)).astype("float32")

    def step():
        float(np.asarray(model.train_on_batch(x, y)))

    return step


def _path_step(sizes, modes, method):
    batch, width = SHAPES[len(sizes)]
    inputs = keras.Input((*sizes, width))
    model = keras.Model(inputs, _SpectralPath(modes, method)(inputs))
    return _step(model, (batch, *sizes, width))


def crossover(lengths, mode_counts, rounds, block, rank=1):
    print(f"\n## crossover, {rank}-D: spectral path train step, ms (dft / fft)\n")
    print(
        "| n | "
        + " | ".join(f"m={m}" for m in mode_counts)
        + " | largest m with dft faster | its kept / log2(n) | auto picks dft up to |"
    )
    print("|" + "---|" * (len(mode_counts) + 4))
    for n in lengths:
        cells, faster = [], 0
        for m in mode_counts:
            if 2 * m > n:
                cells.append("")
                continue
            sizes, modes = (n,) * rank, (m,) * rank
            dft, fft = (_path_step(sizes, modes, method) for method in ("dft", "fft"))
            t_dft, t_fft = (min(t) for t in interleaved([dft, fft], 2, rounds, block))
            cells.append(f"{t_dft * 1e3:.2f} / {t_fft * 1e3:.2f}")
            if t_dft < t_fft:
                faster = m
        kept = 2 if rank > 1 else 1  # the widest axis keeps 2 m in 2-D
        auto = max(
            (
                m
                for m in range(1, n // 2 + 1)
                if kx_ops.dft_is_cheaper((n,) * rank, (m,) * rank)
            ),
            default=0,
        )
        print(
            f"| {n} | "
            + " | ".join(cells)
            + f" | {faster} | {kept * faster / math.log2(n):.1f} | {auto} |"
        )


def scaling(cases, rounds, block):
    from kx.layers import FNO1D, FNO2D

    print("\n## scaling: FNO stack train step\n")
    print("| case | ms | matmul GFLOP | GFLOP/s | transforms |\n|---|---|---|---|---|")
    for label, case in cases:
        model = fno_stack({1: FNO1D, 2: FNO2D}, case)
        shape = (case["batch"], *case["spatial"], 1)
        counts = flops.step_flops(model, shape)
        step = _step(model, shape)
        seconds = min(interleaved([step], 2, rounds, block)[0])
        total = flops.total(counts)
        print(
            f"| {label} | {seconds * 1e3:.1f} | {total / 1e9:.3f} | "
            f"{total / seconds / 1e9:.0f} | {counts['methods'][0]} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few sizes, few steps")
    parser.add_argument("--only", choices=("crossover", "scaling"))
    parser.add_argument("--lengths", type=int, nargs="+", help="1-D lengths")
    parser.add_argument("--modes", type=int, nargs="+", help="crossover modes")
    parser.add_argument("--sizes-2d", type=int, nargs="+", help="2-D sizes n (n x n)")
    args = parser.parse_args()
    backend = keras.config.backend()
    print(f"backend={backend} keras={keras.__version__} quick={args.quick}")
    if args.quick:
        lengths, mode_counts, rounds, block = (256, 1024), (8, 32), 2, 1
    else:
        lengths = (256, 512, 1024, 2048, 4096, 8192)
        mode_counts, rounds, block = (4, 8, 16, 32, 64, 128, 256), 5, 2
    lengths = tuple(args.lengths or lengths)
    mode_counts = tuple(args.modes or mode_counts)
    if args.only in (None, "crossover"):
        crossover(lengths, mode_counts, rounds, block)
        sizes_2d = args.sizes_2d or ((32,) if args.quick else (32, 64, 128))
        modes_2d = (4, 8) if args.quick else (4, 8, 12, 16, 24)
        crossover(sizes_2d, modes_2d, rounds, block, rank=2)
    if args.only in (None, "scaling"):
        one = {"batch": 20, "width": 64, "modes": 16}
        two = {"batch": 8, "width": 32, "modes": 12}
        cases = [(f"1d n={n} m=16", {**one, "spatial": (n,)}) for n in lengths]
        cases += [
            (f"2d {n}x{n} m=12", {**two, "spatial": (n, n)})
            for n in ((32, 64) if args.quick else (32, 64, 128, 256))
        ]
        cases += [
            (f"1d n=1024 m={m}", {**one, "spatial": (1024,), "modes": m})
            for m in ((4, 32) if args.quick else (4, 8, 16, 32, 64))
        ]
        scaling(cases, rounds, block)


if __name__ == "__main__":
    main()
