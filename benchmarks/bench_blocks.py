"""Train-step time of a TransformerEncoder stack: kx.blocks against keras-hub.

Runs, in one process on the backend named by ``KERAS_BACKEND``, a stack of 6
pre-norm encoder blocks (batch 64, 65 tokens, width 128, 8 heads of 16, MLP 256,
gelu; ViT-Tiny-like widths) trained with Adam on a mean-squared error:

* kx: ``kx.blocks.TransformerEncoder(num_heads=8, mlp_dim=256)``;
* keras-hub: ``keras_hub.layers.TransformerEncoder(intermediate_dim=256,
  num_heads=8, activation="gelu", normalize_first=True,
  layer_norm_epsilon=1e-6)``, the same configuration and parameter count.

Both are ``keras.Model``s compiled alike (XLA on jax and tensorflow, eager on
torch) and timed in interleaved rounds; the table gives each one's fastest round
and the ratio kx / keras-hub (at most 1: kx is as fast or faster). A peer that is
not installed or fails is reported with the reason.

Usage::

    KERAS_BACKEND=jax python benchmarks/bench_blocks.py [--quick]
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

CASE = {"batch": 64, "tokens": 65, "width": 128, "heads": 8, "mlp": 256, "layers": 6}
QUICK = {"batch": 8, "tokens": 17, "width": 32, "heads": 4, "mlp": 64, "layers": 2}


def _model(make_block, case):
    inputs = keras.Input((case["tokens"], case["width"]))
    x = inputs
    for _ in range(case["layers"]):
        x = make_block()(x)
    return keras.Model(inputs, x)


def kx_block(case):
    from kx.blocks import TransformerEncoder

    return lambda: TransformerEncoder(num_heads=case["heads"], mlp_dim=case["mlp"])


def keras_hub_block(case):
    import keras_hub

    return lambda: keras_hub.layers.TransformerEncoder(
        intermediate_dim=case["mlp"],
        num_heads=case["heads"],
        activation="gelu",
        normalize_first=True,
        layer_norm_epsilon=1e-6,
    )


def train_step(make_block, case):
    """``(step, parameter count)``: one ``train_on_batch`` of the stack."""
    keras.utils.set_random_seed(0)
    model = _model(make_block, case)
    jit = keras.config.backend() in ("jax", "tensorflow")
    model.compile(optimizer="adam", loss="mse", jit_compile=jit)
    rng = np.random.default_rng(0)
    shape = (case["batch"], case["tokens"], case["width"])
    x = rng.standard_normal(shape).astype("float32")
    y = rng.standard_normal(shape).astype("float32")

    def step():
        loss = model.train_on_batch(x, y)
        float(np.asarray(loss))  # wait for the result

    return step, model.count_params()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, few steps")
    args = parser.parse_args()
    case = QUICK if args.quick else CASE
    warmup, rounds, block = (1, 3, 2) if args.quick else (3, 9, 5)
    backend = keras.config.backend()
    print(
        f"backend={backend} keras={keras.__version__} quick={args.quick} "
        f"(ms per train step, minimum over {rounds} interleaved rounds of {block})"
    )
    name = (
        f"{case['layers']} x TransformerEncoder, batch {case['batch']}, "
        f"{case['tokens']} tokens, width {case['width']}, {case['heads']} heads, "
        f"MLP {case['mlp']}"
    )
    kx_step, kx_params = train_step(kx_block(case), case)
    try:
        import keras_hub

        peer_name = f"keras-hub {keras_hub.__version__}"
        peer_step, peer_params = train_step(keras_hub_block(case), case)
        if peer_params != kx_params:
            raise RuntimeError(f"parameter counts differ: {peer_params} vs {kx_params}")
        times = interleaved([kx_step, peer_step], warmup, rounds, block)
        kx_time, peer_time = (min(t) for t in times)
        peer_cell = f"{peer_time * 1e3:.1f} ms ({peer_params} params)"
        ratio = f"{kx_time / peer_time:.2f}"
    except Exception as error:  # report why the peer did not run
        (kx_time,) = (min(t) for t in interleaved([kx_step], warmup, rounds, block))
        peer_name = "keras-hub"
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        peer_cell, ratio = f"n/a: {last[:160]}", "n/a"
    header = ("case", "kx.blocks step", "peer", "peer step", "kx / peer")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    kx_cell = f"{kx_time * 1e3:.1f} ms ({kx_params} params)"
    print("| " + " | ".join((name, kx_cell, peer_name, peer_cell, ratio)) + " |")


if __name__ == "__main__":
    main()
