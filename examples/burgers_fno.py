"""Learn the 1-D Burgers solution operator u(., 0) -> u(., 1) with a kx FNO.

End to end, with nothing downloaded:

1. generate (or load from the cache) the viscous Burgers data set of
   ``burgers_data.py`` at 1024 points;
2. train the Fourier neural operator of ``burgers_model.py``
   (``kx.blocks.models.NeuralOperator1D``) at 256 points with a relative-L2
   loss and a cosine learning-rate schedule;
3. report the test relative L2 error, save the model as ``.keras``, reload it and
   check that the reloaded model gives the same outputs;
4. evaluate the same model zero-shot at 512 and 1024 points;
5. draw a figure of test samples at 256 and 1024 points.

Usage (from the repository root)::

    python examples/burgers_fno.py --backend jax      # or torch, tensorflow
    python examples/burgers_fno.py --quick            # a seconds-long smoke run

Exit status 1 when the reloaded model differs from the saved one or when the test
error at 256 points misses ``--target`` (not checked with ``--quick``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

EXAMPLES = Path(__file__).resolve().parent
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

import burgers_data  # noqa: E402

TRAIN_POINTS = 256
EVAL_POINTS = (256, 512, 1024)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Learn the 1-D Burgers solution operator with a kx FNO."
    )
    parser.add_argument(
        "--backend", default="jax", choices=("jax", "torch", "tensorflow")
    )
    parser.add_argument("--epochs", type=int, default=None, help="default 80")
    parser.add_argument(
        "--samples", type=int, default=None, help="train + test samples, default 1000"
    )
    parser.add_argument("--test-fraction", type=float, default=0.2)
    parser.add_argument("--nu", type=float, default=0.01, help="viscosity")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=5e-3)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--modes", type=int, default=16)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=burgers_data.DEFAULT_CACHE_DIR,
        help="where data, model and figure go (default examples/output)",
    )
    parser.add_argument("--target", type=float, default=0.01)
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=1,
        help="intra-op threads on torch (default 1: with more, torch's small CPU "
        "kernels spin-wait and ran several times slower on a shared 2-core machine)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny data set, 1 epoch (for tests)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.samples = 20 if args.samples is None else args.samples
        args.epochs = 1 if args.epochs is None else args.epochs
        args.target = None
    args.samples = 1000 if args.samples is None else args.samples
    args.epochs = 80 if args.epochs is None else args.epochs
    if args.samples < 2:
        parser.error(f"--samples must be >= 2, got {args.samples}")
    if args.epochs < 1:
        parser.error(f"--epochs must be >= 1, got {args.epochs}")
    if not 0 < args.test_fraction < 1:
        parser.error(f"--test-fraction must be in (0, 1), got {args.test_fraction}")
    n_test = max(1, round(args.samples * args.test_fraction))
    if n_test >= args.samples:
        parser.error(
            f"--samples {args.samples} with --test-fraction {args.test_fraction} "
            "leaves no training sample"
        )
    return args


def relative_errors(model, u0, u1, batch_size):
    """Per-sample relative L2 errors of ``model`` on ``(n, points)`` arrays."""
    pred = model.predict(u0[..., None], batch_size=batch_size, verbose=0)[..., 0]
    return np.linalg.norm(pred - u1, axis=1) / np.linalg.norm(u1, axis=1), pred


def plot(path, x, u0, u1, predictions, n_show=3):
    """Initial condition, truth and prediction of a few test samples per resolution."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    resolutions = sorted(predictions)
    fig, axes = plt.subplots(
        len(resolutions), n_show, figsize=(4 * n_show, 3 * len(resolutions)),
        sharex=True, squeeze=False,
    )  # fmt: skip
    for row, points in enumerate(resolutions):
        step = x.size // points
        xs = x[::step]
        for col in range(n_show):
            ax = axes[row, col]
            ax.plot(xs, u0[col, ::step], color="0.6", lw=1, label="u(x, 0)")
            ax.plot(xs, u1[col, ::step], color="k", lw=1.5, label="u(x, 1) true")
            ax.plot(
                xs, predictions[points][col], "--", color="tab:red", lw=1.5,
                label="u(x, 1) FNO",
            )  # fmt: skip
            ax.set_title(f"test sample {col}, {points} points")
            if col == 0:
                ax.set_ylabel("u")
            if row == len(resolutions) - 1:
                ax.set_xlabel("x")
    axes[0, 0].legend(loc="best", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    args = parse_args(argv)
    if "keras" in sys.modules and os.environ.get("KERAS_BACKEND") != args.backend:
        raise RuntimeError(
            f"keras is already imported with another backend; run with "
            f"KERAS_BACKEND={args.backend} or in a fresh process."
        )
    os.environ["KERAS_BACKEND"] = args.backend
    start = time.perf_counter()

    if args.backend == "torch":
        import torch

        torch.set_num_threads(args.torch_threads)

    import burgers_model
    import keras

    output_dir = args.output_dir.resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    print(f"keras {keras.__version__}, backend {keras.backend.backend()}")
    if args.backend == "torch":
        print(f"torch intra-op threads: {torch.get_num_threads()}")

    t = time.perf_counter()
    data = burgers_data.load_or_generate(
        args.samples, n_points=1024, nu=args.nu, seed=args.seed, cache_dir=output_dir
    )
    verb = "loaded from cache" if data["cached"] else "generated"
    print(
        f"data: {args.samples} samples at 1024 points, nu={args.nu}, "
        f"{verb} in {time.perf_counter() - t:.1f} s"
    )
    x, u0, u1 = data["x"], data["u0"], data["u1"]
    n_test = max(1, round(args.samples * args.test_fraction))
    n_train = args.samples - n_test
    u0 = u0.astype("float32")
    u1 = u1.astype("float32")
    train_step = u0.shape[1] // TRAIN_POINTS

    keras.utils.set_random_seed(args.seed)
    model = burgers_model.build_fno(
        width=args.width, modes=args.modes, depth=args.depth
    )
    steps = args.epochs * -(-n_train // args.batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(args.learning_rate, steps)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule), loss=burgers_model.relative_l2
    )
    print(
        f"model: NeuralOperator1D, width {args.width}, {args.modes} modes, "
        f"{args.depth} Fourier blocks, {model.count_params()} parameters"
    )
    print(
        f"training on {n_train} samples at {TRAIN_POINTS} points, {args.epochs} epochs"
    )
    progress = keras.utils.Progbar(
        args.epochs, stateful_metrics=["loss"], unit_name="epoch"
    )
    t = time.perf_counter()
    model.fit(
        u0[:n_train, ::train_step, None],
        u1[:n_train, ::train_step, None],
        batch_size=args.batch_size,
        epochs=args.epochs,
        shuffle=True,
        verbose=0,
        callbacks=[
            keras.callbacks.LambdaCallback(
                on_epoch_end=lambda epoch, logs: progress.update(
                    epoch + 1, [("loss", logs["loss"])]
                )
            )
        ],
    )
    train_time = time.perf_counter() - t
    print(f"trained in {train_time:.1f} s")

    test_u0, test_u1 = u0[n_train:], u1[n_train:]
    errors, predictions = {}, {}
    for points in EVAL_POINTS:
        step = u0.shape[1] // points
        err, pred = relative_errors(
            model, test_u0[:, ::step], test_u1[:, ::step], args.batch_size
        )
        errors[points], predictions[points] = float(err.mean()), pred
    print(
        f"test relative L2 error at {TRAIN_POINTS} points (mean over {n_test} test "
        f"samples): {errors[TRAIN_POINTS]:.4f}"
    )

    model_path = output_dir / "burgers_fno.keras"
    model.save(model_path)
    reloaded = keras.saving.load_model(model_path)
    step = u0.shape[1] // TRAIN_POINTS
    again = reloaded.predict(test_u0[:, ::step, None], verbose=0)[..., 0]
    reload_diff = float(np.max(np.abs(again - predictions[TRAIN_POINTS])))
    reload_ok = reload_diff <= 1e-5
    print(
        f"saved and reloaded the model: max |difference| of outputs {reload_diff:.1e}"
        f" ({'match' if reload_ok else 'MISMATCH'})"
    )

    print("zero-shot super-resolution (trained at 256 points only):")
    for points in EVAL_POINTS:
        print(f"  {points:5d} points: test relative L2 error {errors[points]:.4f}")

    figure_path = output_dir / "burgers_fno.png"
    plot(
        figure_path, x, test_u0, test_u1, {p: predictions[p] for p in (256, 1024)},
        n_show=min(3, n_test),
    )  # fmt: skip

    total = time.perf_counter() - start
    print(f"data:   {data['path']}")
    print(f"model:  {model_path}")
    print(f"figure: {figure_path}")
    print(f"total time {total:.1f} s (training {train_time:.1f} s)")
    ok = reload_ok
    if args.target is not None:
        met = errors[TRAIN_POINTS] < args.target
        ok = ok and met
        verdict = "met" if met else "MISSED"
        print(
            f"target test relative L2 < {args.target} at {TRAIN_POINTS} points: "
            f"{verdict}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
