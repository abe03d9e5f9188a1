"""Train- and predict-step time of a CIFAR-sized ViT2D: kx.vision against k3im and
keras-hub.

Runs, in one process on the backend named by ``KERAS_BACKEND``, a ViT on batch 64
of 32x32x3 images, patch 4 (64 tokens and a class token), width 128, depth 6,
8 heads, MLP 256, 10 classes, trained with Adam on sparse categorical
cross-entropy:

* against k3im 0.1.1's ``k3im.vit.ViT``, whose attention always uses 64-wide
  heads: kx ``ViT2D(..., dim_head=64)``, so that both have 8 heads of 64 (their
  parameter counts differ only by k3im's extra patch norms and kx's pre-attention
  norms; both counts are printed);
* against keras-hub's ``ViTBackbone`` (timm's layout: heads of 128 / 8 = 16) with a
  dense head on its class token: kx ``ViT2D(...)``, the same layout and parameter
  count.

The models are compiled alike (XLA on jax and tensorflow, eager on torch) and
timed in interleaved rounds; each row gives each model's fastest round and the
ratio kx / peer (below 1: kx is faster). A peer that is not installed or fails is
reported with the reason.

Usage::

    KERAS_BACKEND=jax python benchmarks/bench_vision.py [--quick] [--rounds N]
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

CASE = {"batch": 64, "size": 32, "patch": 4, "dim": 128, "depth": 6, "heads": 8,
        "mlp": 256, "classes": 10}  # fmt: skip
QUICK = {"batch": 8, "size": 16, "patch": 4, "dim": 32, "depth": 2, "heads": 4,
         "mlp": 64, "classes": 10}  # fmt: skip


def kx_model(case, dim_head=None):
    import kx.vision

    return kx.vision.ViT2D(
        (case["size"], case["size"], 3),
        patch_size=case["patch"],
        num_classes=case["classes"],
        dim=case["dim"],
        depth=case["depth"],
        heads=case["heads"],
        dim_head=dim_head,
        mlp_dim=case["mlp"],
    )


def k3im_model(case):
    from k3im.vit import ViT

    return ViT(
        image_size=case["size"], patch_size=case["patch"],
        num_classes=case["classes"], dim=case["dim"], depth=case["depth"],
        heads=case["heads"], mlp_dim=case["mlp"], channels=3, dim_head=64,
        pool="cls",
    )  # fmt: skip


def keras_hub_model(case):
    import keras_hub

    backbone = keras_hub.models.ViTBackbone(
        image_shape=(case["size"], case["size"], 3), patch_size=case["patch"],
        num_layers=case["depth"], num_heads=case["heads"], hidden_dim=case["dim"],
        mlp_dim=case["mlp"],
    )  # fmt: skip
    tokens = backbone(backbone.input)
    outputs = keras.layers.Dense(case["classes"])(tokens[:, 0])
    return keras.Model(backbone.input, outputs)


def steps(make, case):
    """``(train step, predict step, parameter count)`` of a fresh model."""
    keras.utils.set_random_seed(0)
    model = make()
    jit = keras.config.backend() in ("jax", "tensorflow")
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit,
    )
    rng = np.random.default_rng(0)
    shape = (case["batch"], case["size"], case["size"], 3)
    x = rng.standard_normal(shape).astype("float32")
    y = rng.integers(0, case["classes"], case["batch"]).astype("int32")

    def train():
        float(np.asarray(model.train_on_batch(x, y)))  # wait for the result

    def predict():
        np.asarray(model.predict_on_batch(x))

    return train, predict, model.count_params()


def compare(peer_name, make_kx, make_peer, case, warmup, rounds, block):
    """One table row per step: kx vs the peer (or the reason it did not run)."""
    kx_train, kx_predict, kx_params = steps(make_kx, case)
    try:
        peer_train, peer_predict, peer_params = steps(make_peer, case)
        functions = [kx_train, peer_train, kx_predict, peer_predict]
        times = [min(t) for t in interleaved(functions, warmup, rounds, block)]
    except Exception as error:  # report why the peer did not run
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        times = [min(t) for t in interleaved([kx_train, kx_predict], warmup, rounds,
                                             block)]  # fmt: skip
        for step, kx_time in zip(("train", "predict"), times):
            cell = f"{kx_time * 1e3:.1f} ms ({kx_params} params)"
            print(f"| {step} | {cell} | {peer_name} | n/a: {last[:160]} | n/a |")
        return
    for step, kx_time, peer_time in (
        ("train", times[0], times[1]),
        ("predict", times[2], times[3]),
    ):
        kx_cell = f"{kx_time * 1e3:.1f} ms ({kx_params} params)"
        peer_cell = f"{peer_time * 1e3:.1f} ms ({peer_params} params)"
        ratio = f"{kx_time / peer_time:.2f}"
        print(f"| {step} | {kx_cell} | {peer_name} | {peer_cell} | {ratio} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, few steps")
    parser.add_argument("--rounds", type=int, default=None, help="timed rounds")
    args = parser.parse_args()
    case = QUICK if args.quick else CASE
    warmup, rounds, block = (1, 3, 2) if args.quick else (3, 9, 5)
    if args.rounds:
        rounds = args.rounds
    backend = keras.config.backend()
    print(
        f"backend={backend} keras={keras.__version__} quick={args.quick} "
        f"(ms per step, minimum over {rounds} interleaved rounds of {block}); "
        f"ViT2D batch {case['batch']}, {case['size']}x{case['size']}x3, patch "
        f"{case['patch']}, dim {case['dim']}, depth {case['depth']}, "
        f"{case['heads']} heads, MLP {case['mlp']}, {case['classes']} classes"
    )
    header = ("step", "kx.vision ViT2D", "peer", "peer step", "kx / peer")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    try:
        import k3im

        k3im_name = f"k3im {getattr(k3im, '__version__', '0.1.1')} ViT (heads of 64)"
    except ImportError:
        k3im_name = "k3im ViT (heads of 64)"
    compare(k3im_name, lambda: kx_model(case, dim_head=64),
            lambda: k3im_model(case), case, warmup, rounds, block)  # fmt: skip
    try:
        import keras_hub

        hub_name = f"keras-hub {keras_hub.__version__} ViTBackbone + head"
    except ImportError:
        hub_name = "keras-hub ViTBackbone + head"
    compare(hub_name, lambda: kx_model(case), lambda: keras_hub_model(case), case,
            warmup, rounds, block)  # fmt: skip


if __name__ == "__main__":
    main()
