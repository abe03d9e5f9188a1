"""Roofline of the FNO train step: its FLOPs, the matmul peak, the fraction reached.

Runs, in one process on the backend named by ``KERAS_BACKEND``, the two FNO stacks
of ``bench_layers.py`` (``fno1d``: batch 20, 1024 points, width 64, 16 modes;
``fno2d``: batch 8, 64x64, width 32, 12 modes; each ``Dense`` lifting, 4 FNO
layers, ``Dense(1)`` projection, Adam on a mean-squared error, compiled with XLA
on jax and tensorflow), and prints:

1. the machine's float32 matmul peak, measured in the same run: numpy's and the
   backend's own matmul at 2048x2048x2048, and the backend's at the stacks'
   shapes (the 1x1 path's ``(points, width) x (width, width)``, the kept-mode
   DFT's batched ``(batch, 2 m, n) x (batch, n, width)``);
2. each step's matmul FLOPs, counted from the layer shapes (``flops.py``), per
   category;
3. the step time (fastest of interleaved rounds) and the achieved fraction of
   the peak (the best of numpy's and the backend's 2048-cube rates);
4. where the step's time goes, from the backend's profiler (``profiles.py``):
   per category and kind (matmul, copy, elementwise), and the framework overhead
   (wall time in which no operation ran).

Usage::

    KERAS_BACKEND=jax python benchmarks/bench_roofline.py [--quick] [--no-profile]
    nox -s bench -- --only roofline
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
BACKEND = os.environ["KERAS_BACKEND"]
if BACKEND == "torch":
    import torch  # noqa: F401  (torch before tensorflow)

import profiles  # noqa: E402

if BACKEND in ("jax", "tensorflow"):
    profiles.xla_dump_flags()  # before the backend starts

import flops  # noqa: E402
import keras  # noqa: E402
from bench_layers import CASES, QUICK, compiled_step, fno_stack  # noqa: E402
from timing import interleaved  # noqa: E402


def _fastest(function, repeats):
    function()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def _backend_matmul(a, b):
    """A no-argument function running the backend's own ``a @ b`` to completion."""
    if BACKEND == "jax":
        import jax

        f = jax.jit(lambda x, y: x @ y)
        a, b = jax.device_put(a), jax.device_put(b)
        return lambda: f(a, b).block_until_ready()
    if BACKEND == "tensorflow":
        import tensorflow as tf

        f = tf.function(lambda x, y: x @ y, jit_compile=True)
        a, b = tf.constant(a), tf.constant(b)
        return lambda: f(a, b)[..., :1, :1].numpy()
    import torch

    a, b = torch.from_numpy(a), torch.from_numpy(b)
    return lambda: torch.matmul(a, b)


def peaks(case, repeats):
    """``[(what, GFLOP/s)]``: numpy and the backend at the square and the stacks'
    shapes."""
    rng = np.random.default_rng()
    rows = []

    def rate(what, a, b, runner):
        flop = (
            2
            * a.shape[-2]
            * a.shape[-1]
            * b.shape[-1]
            * max(int(np.prod(a.shape[:-2])), int(np.prod(b.shape[:-2])))
        )
        rows.append((what, flop / _fastest(runner(a, b), repeats) / 1e9))

    def numpy_runner(a, b):
        return lambda: a @ b

    square = [rng.standard_normal((2048, 2048), dtype="float32") for _ in (0, 1)]
    rate("numpy 2048^3", *square, numpy_runner)
    rate(f"{BACKEND} 2048^3", *square, _backend_matmul)
    batch, sizes, width, m = (
        case["batch"],
        case["spatial"],
        case["width"],
        case["modes"],
    )
    points = int(np.prod(sizes))
    a = rng.standard_normal((batch * points, width), dtype="float32")
    b = rng.standard_normal((width, width), dtype="float32")
    rate(
        f"{BACKEND} 1x1 path ({batch * points}x{width})x({width}x{width})",
        a,
        b,
        _backend_matmul,
    )
    n = sizes[-1]
    signals = batch * points // n
    # as kx.ops multiplies: the (2 m, n) matrix broadcast over the batch axes
    a = np.broadcast_to(rng.standard_normal((2 * m, n), dtype="float32"),
                        (signals, 2 * m, n)).copy()  # fmt: skip
    b = rng.standard_normal((signals, n, width), dtype="float32")
    rate(f"{BACKEND} DFT ({signals}x{2 * m}x{n})x({signals}x{n}x{width})", a, b,
         _backend_matmul)  # fmt: skip
    return rows


def _model(case):
    """``(step, parameter count, flops.step_flops counts)`` of the case's stack."""
    from kx.layers import FNO1D, FNO2D

    model = fno_stack({1: FNO1D, 2: FNO2D}, case)
    counts = flops.step_flops(model, (case["batch"], *case["spatial"], 1))
    return (*compiled_step(model, case), counts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, few steps")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    cases = QUICK if args.quick else CASES
    warmup, rounds, block = (1, 2, 1) if args.quick else (3, 7, 3)
    print(f"backend={BACKEND} keras={keras.__version__} quick={args.quick}")
    for name, case in cases.items():
        rates = peaks(case, 2 if args.quick else 10)
        peak = max(r for what, r in rates if "2048" in what)
        before = profiles.dumped_modules() if BACKEND != "torch" else ()
        step, params, model_flops = _model(case)
        (seconds,) = [min(t) for t in interleaved([step], warmup, rounds, block)]
        total = flops.total(model_flops)
        print(
            f"\n## {name} ({params} params; transforms: "
            f"{', '.join(model_flops['methods'])})\n"
        )
        print("| matmul | GFLOP/s |\n|---|---|")
        for what, r in rates:
            print(f"| {what} | {r:.0f} |")
        print("\n| category | forward MFLOP | backward MFLOP |\n|---|---|---|")
        for c in flops.CATEGORIES:
            f, b = model_flops[c]
            print(f"| {c} | {f / 1e6:.1f} | {b / 1e6:.1f} |")
        print(f"| **step** | | **{total / 1e9:.3f} GFLOP** |")
        achieved = total / seconds / 1e9
        print(
            f"\nstep {seconds * 1e3:.1f} ms: {achieved:.0f} GFLOP/s, "
            f"**{100 * achieved / peak:.0f}% of the {peak:.0f} GFLOP/s peak** "
            f"(floor {total / peak / 1e6:.1f} ms)"
        )
        if not args.no_profile:
            _print_breakdown(profiles.breakdown(step, BACKEND, 3, before))


def _print_breakdown(result):
    ops = result["ops"]
    categories = [*flops.CATEGORIES, *profiles.EXTRA]
    wall = result["wall"]
    print(
        f"\nprofile: wall {wall * 1e3:.1f} ms per step, ops busy "
        f"{result['busy'] * 1e3:.1f} ms (op times below add up over threads)\n"
    )
    print(
        "| where | "
        + " | ".join(f"{k} ms" for k in profiles.KINDS)
        + " | total ms |\n|---|---|---|---|---|"
    )
    for c in categories:
        cells = [ops.get((c, k), 0.0) * 1e3 for k in profiles.KINDS]
        if sum(cells) < 0.05:
            continue
        print(
            f"| {c} | "
            + " | ".join(f"{v:.1f}" for v in cells)
            + f" | {sum(cells):.1f} |"
        )
    print(
        f"| framework overhead (no op running) | | | | {result['overhead'] * 1e3:.1f} |"
    )


if __name__ == "__main__":
    main()
