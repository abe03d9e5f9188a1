"""A kx.vision ViT2D learns scikit-learn's digits (8x8 grey images, 10 classes).

The data ships inside scikit-learn (``sklearn.datasets.load_digits``: nothing is
downloaded). 1,437 training and 360 test images (a fixed stratified split); a
ViT2D with 2x2 patches (16 tokens), width 32, depth 2, 4 heads, MLP 64, mean
pooling, trained with AdamW. Passes when the test accuracy reaches ``--target``
(0.90) within ``--budget`` seconds (60) of training on the CPU.

Usage::

    nox -s digits -- --backend torch
    KERAS_BACKEND=torch python examples/vit_digits.py [--epochs 40] [--budget 60]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default=os.environ.get("KERAS_BACKEND", "torch"))
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--dim", type=int, default=32)
    parser.add_argument("--target", type=float, default=0.90)
    args = parser.parse_args()
    os.environ["KERAS_BACKEND"] = args.backend
    if args.backend == "torch":
        import torch  # noqa: F401  (torch before tensorflow)

import keras
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import kx.vision


def data():
    digits = load_digits()
    x = (digits.images / 16.0).astype("float32")[..., None]  # (n, 8, 8, 1)
    y = digits.target.astype("int32")
    return train_test_split(x, y, test_size=0.2, stratify=y, random_state=0)


class Budget(keras.callbacks.Callback):
    """Stop training once ``seconds`` have passed."""

    def __init__(self, seconds):
        super().__init__()
        self.seconds = seconds

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epochs = epoch + 1
        if time.perf_counter() - self.start > self.seconds:
            self.model.stop_training = True


def main(args):
    keras.utils.set_random_seed(0)
    x_train, x_test, y_train, y_test = data()
    model = kx.vision.ViT2D(
        (8, 8, 1), patch_size=2, num_classes=10, dim=args.dim, depth=2, heads=4,
        mlp_dim=2 * args.dim, pooling="mean",
    )  # fmt: skip
    model.compile(
        optimizer=keras.optimizers.AdamW(3e-3, weight_decay=1e-4),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    start = time.perf_counter()
    budget = Budget(args.budget)
    model.fit(x_train, y_train, batch_size=args.batch, epochs=args.epochs, verbose=0,
              callbacks=[budget])  # fmt: skip
    seconds = time.perf_counter() - start
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(
        f"backend={keras.config.backend()} params={model.count_params()} "
        f"{budget.epochs} epochs in {seconds:.1f} s, test accuracy {accuracy:.3f} "
        f"(target {args.target})"
    )
    return 0 if accuracy >= args.target and seconds <= args.budget * 1.1 else 1


if __name__ == "__main__":
    sys.exit(main(args))
