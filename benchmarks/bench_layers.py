"""Train-step time of FNO stacks: kx.layers against kerex and neuraloperator.

Runs, in one process on the backend named by ``KERAS_BACKEND``:

* ``fno1d``: batch 20, length 1024, width 64, 16 modes, 4 FNO layers;
* ``fno2d``: batch 8, 64x64, width 32, 12 modes of each sign, 4 FNO layers;

each as ``Dense(width)`` lifting, 4 FNO layers, ``Dense(1)`` projection, trained
with Adam on a mean-squared error. The peers run the same shapes side by side:
kerex's ``FNO1D``/``FNO2D`` on jax and tensorflow, neuraloperator's ``FNOBlocks``
(spectral conv + linear skip + gelu per layer, as in Li et al. 2021) in a plain
torch training loop on torch. A peer that is not installed or fails is reported
with the reason. kx and the peer are timed in interleaved rounds; the table gives
the minimum step time of each and the ratio peer / kx (above 1: kx is faster).

Usage::

    KERAS_BACKEND=jax python benchmarks/bench_layers.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import traceback

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
if os.environ["KERAS_BACKEND"] == "torch":
    import torch  # noqa: F401  (torch before tensorflow)

import keras
from timing import interleaved

CASES = {
    "fno1d": {"batch": 20, "spatial": (1024,), "width": 64, "modes": 16},
    "fno2d": {"batch": 8, "spatial": (64, 64), "width": 32, "modes": 12},
}
QUICK = {
    "fno1d": {"batch": 4, "spatial": (256,), "width": 16, "modes": 8},
    "fno2d": {"batch": 2, "spatial": (32, 32), "width": 8, "modes": 6},
}
LAYERS = 4


def _data(case, seed=0):
    rng = np.random.default_rng(seed)
    shape = (case["batch"], *case["spatial"], 1)
    return (
        rng.standard_normal(shape).astype("float32"),
        rng.standard_normal(shape).astype("float32"),
    )


def fno_stack(fno_classes, case):
    """The benchmark model: ``Dense(width)``, LAYERS FNO layers, ``Dense(1)``."""
    rank = len(case["spatial"])
    fno = fno_classes[rank]
    inputs = keras.Input((*case["spatial"], 1))
    x = keras.layers.Dense(case["width"])(inputs)
    for _ in range(LAYERS):
        x = fno(filters=case["width"], modes=case["modes"])(x)
    outputs = keras.layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


def fastest(steps, warmup, rounds, block):
    """Seconds per call of each step function in its fastest interleaved round."""
    return [min(t) for t in interleaved(steps, warmup, rounds, block)]


def keras_step(fno_classes, case):
    """``(step, parameter count)``: one ``train_on_batch`` (XLA on jax/tf)."""
    keras.utils.set_random_seed(0)
    return compiled_step(fno_stack(fno_classes, case), case)


def compiled_step(model, case):
    """``(step, parameter count)`` of ``model``: Adam on a mean-squared error,
    one ``train_on_batch`` on ``case``'s data (XLA on jax/tf)."""
    jit = keras.config.backend() in ("jax", "tensorflow")
    model.compile(optimizer="adam", loss="mse", jit_compile=jit)
    x, y = _data(case)

    def step():
        loss = model.train_on_batch(x, y)
        float(np.asarray(loss))  # wait for the result

    return step, model.count_params()


def neuraloperator_step(case):
    """``(step, parameter count)``: one torch training step of FNOBlocks."""
    import torch
    from neuralop.layers.fno_block import FNOBlocks

    torch.manual_seed(0)
    rank = len(case["spatial"])
    width, m = case["width"], case["modes"]
    # neuraloperator counts modes per axis: 2m on full axes keeps m of each sign,
    # 2m on the last (rfft) axis keeps m + 1
    blocks = FNOBlocks(
        width,
        width,
        n_modes=(2 * m,) * rank,
        n_layers=LAYERS,
        use_channel_mlp=False,
        fno_skip="linear",
    )
    conv = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d}[rank]
    lift, project = conv(1, width, 1), conv(width, 1, 1)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lift, self.blocks, self.project = lift, blocks, project

        def forward(self, x):
            x = self.lift(x)
            for i in range(LAYERS):
                x = self.blocks(x, i)
            return self.project(x)

    net = Net()
    optimizer = torch.optim.Adam(net.parameters())
    x, y = (torch.from_numpy(np.moveaxis(a, -1, 1).copy()) for a in _data(case))

    def step():
        optimizer.zero_grad()
        loss = torch.mean((net(x) - y) ** 2)
        loss.backward()
        optimizer.step()
        loss.item()

    return step, sum(p.numel() for p in net.parameters())


def _peer(case):
    backend = keras.config.backend()
    if backend == "torch":
        return "neuraloperator FNOBlocks", neuraloperator_step(case)
    from kerex.layers import FNO1D, FNO2D

    return "kerex FNO", keras_step({1: FNO1D, 2: FNO2D}, case)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, few steps")
    args = parser.parse_args()
    from kx.layers import FNO1D, FNO2D

    cases = QUICK if args.quick else CASES
    warmup, rounds, block = (1, 2, 2) if args.quick else (3, 7, 3)
    backend = keras.config.backend()
    print(
        f"backend={backend} keras={keras.__version__} quick={args.quick} "
        f"(ms per train step, minimum over {rounds} interleaved rounds of {block})"
    )
    rows = []
    for name, case in cases.items():
        kx_step, kx_params = keras_step({1: FNO1D, 2: FNO2D}, case)
        try:
            peer_name, (peer_step, peer_params) = _peer(case)
            kx_time, peer_time = fastest([kx_step, peer_step], warmup, rounds, block)
            ratio = f"{peer_time / kx_time:.2f}"
            peer_cell = f"{peer_time * 1e3:.1f} ms ({peer_params} params)"
        except Exception as error:  # report why the peer did not run
            (kx_time,) = fastest([kx_step], warmup, rounds, block)
            peer_name = "kerex FNO" if backend != "torch" else "neuraloperator"
            last = traceback.format_exception_only(type(error), error)[-1].strip()
            peer_cell, ratio = f"n/a: {last[:160]}", "n/a"
        rows.append(
            (
                name,
                f"{kx_time * 1e3:.1f} ms ({kx_params} params)",
                peer_name,
                peer_cell,
                ratio,
            )
        )
    header = ("case", "kx.layers step", "peer", "peer step", "peer / kx")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
