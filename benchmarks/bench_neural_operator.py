"""Train-step time of kx NeuralOperator1D against neuraloperator and kerex.

Runs, in one process on the backend named by ``KERAS_BACKEND``, batch 20, 1024
points, width 64, 16 Fourier modes kept, 4 blocks, trained with Adam on a mean
squared error:

* ``fno``: neuraloperator's default ``FNO`` (grid embedding, channel-MLP lifting
  and projection of ratio 2, a channel MLP with a soft-gating skip and a linear
  skip in each block). On torch its peer is ``neuralop.models.FNO(n_modes=(30,),
  in_channels=1, out_channels=1, hidden_channels=64)`` (30 // 2 + 1 = 16 modes
  kept), in a plain torch training loop; the two have equal parameter counts.
  On jax and tensorflow the peer is kerex's ``NeuralOperator1D(filters=[64] * 4,
  modes=16, input_projection_dimension=64, output_projection_dimension=1)``
  (1x1 lifting and projection, no channel MLP), timed against kx at kerex's own
  configuration (the same layers: the counts differ only by kerex's skip biases).
* ``tfno``: the same with Tucker spectral weights at rank 0.1: neuraloperator's
  ``TFNO`` on torch (equal counts); kerex has no factorized weights, so on jax and
  tensorflow kx's Tucker model is timed alone.

Both counts are printed. kx and the peer are timed in interleaved rounds
(``timing.interleaved``); the table gives the minimum step time of each and the
ratio peer / kx (above 1: kx is faster).

Usage::

    KERAS_BACKEND=torch python benchmarks/bench_neural_operator.py [--rounds 7]
    nox -s bench -- --only neural_operator    # every backend, bench venvs
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

BATCH, POINTS, WIDTH, MODES, LAYERS = 20, 1024, 64, 16, 4
TUCKER_RANK = 0.1


def _data(channels_first=False, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, POINTS, 1)).astype("float32")
    y = rng.standard_normal((BATCH, POINTS, 1)).astype("float32")
    if channels_first:
        return np.moveaxis(x, -1, 1).copy(), np.moveaxis(y, -1, 1).copy()
    return x, y


def keras_step(model):
    """``(step, parameter count)``: one ``train_on_batch`` (XLA on jax/tf)."""
    jit = keras.config.backend() in ("jax", "tensorflow")
    model.compile(optimizer="adam", loss="mse", jit_compile=jit)
    x, y = _data()
    model.build(x.shape)

    def step():
        loss = model.train_on_batch(x, y)
        float(np.asarray(loss))  # wait for the result

    return step, model.count_params()


def kx_model(factorization=None, kerex_like=False):
    from kx.blocks.models import NeuralOperator1D

    keras.utils.set_random_seed(0)
    options = {}
    if kerex_like:  # kerex's architecture: 1x1 lifting/projection, no MLPs
        options = {
            "positional_embedding": None,
            "lifting_channel_ratio": 0,
            "projection_channel_ratio": 0,
            "use_channel_mlp": False,
        }
    return NeuralOperator1D(
        filters=[WIDTH] * LAYERS,
        modes=MODES,
        input_projection_dimension=WIDTH,
        output_projection_dimension=1,
        factorization=factorization,
        factorization_rank=TUCKER_RANK,
        **options,
    )


def neuraloperator_step(factorization=None):
    """``(step, parameter count)``: one torch training step of FNO or TFNO."""
    import torch
    from neuralop.models import FNO, TFNO
    from neuralop.utils import count_model_params

    torch.manual_seed(0)
    kwargs = {
        "n_modes": (2 * (MODES - 1),),  # keeps n // 2 + 1 = MODES modes
        "in_channels": 1,
        "out_channels": 1,
        "hidden_channels": WIDTH,
        "n_layers": LAYERS,
    }
    if factorization:
        net = TFNO(rank=TUCKER_RANK, **kwargs)
    else:
        net = FNO(**kwargs)
    optimizer = torch.optim.Adam(net.parameters())
    x, y = (torch.from_numpy(a) for a in _data(channels_first=True))

    def step():
        optimizer.zero_grad()
        loss = torch.mean((net(x) - y) ** 2)
        loss.backward()
        optimizer.step()
        loss.item()

    return step, count_model_params(net)


def kerex_step():
    from kerex.models import NeuralOperator1D

    keras.utils.set_random_seed(0)
    model = NeuralOperator1D(
        filters=[WIDTH] * LAYERS,
        modes=MODES,
        input_projection_dimension=WIDTH,
        output_projection_dimension=1,
    )
    return keras_step(model)


def cases(backend):
    """``(name, kx (step, params), peer name, peer thunk or None)`` per case."""
    if backend == "torch":
        return [
            ("fno", lambda: keras_step(kx_model()), "neuraloperator FNO",
             lambda: neuraloperator_step()),
            ("tfno (Tucker 0.1)", lambda: keras_step(kx_model("tucker")),
             "neuraloperator TFNO", lambda: neuraloperator_step("tucker")),
        ]  # fmt: skip
    return [
        ("fno, kerex's layout", lambda: keras_step(kx_model(kerex_like=True)),
         "kerex NeuralOperator1D", kerex_step),
        ("fno", lambda: keras_step(kx_model()), "none", None),
        ("tfno (Tucker 0.1)", lambda: keras_step(kx_model("tucker")), "none", None),
    ]  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--block", type=int, default=3, help="steps per round")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help="2 rounds of 1 step, 1 warm-up"
    )
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.block, args.warmup = 2, 1, 1
    backend = keras.config.backend()
    print(
        f"backend={backend} keras={keras.__version__} (ms per train step, minimum "
        f"over {args.rounds} interleaved rounds of {args.block})"
    )
    rows = []
    for name, kx_thunk, peer_name, peer_thunk in cases(backend):
        kx_step, kx_params = kx_thunk()
        steps, peer_cell, ratio = [kx_step], "n/a", "n/a"
        peer_params = None
        if peer_thunk is not None:
            try:
                peer_step, peer_params = peer_thunk()
                steps.append(peer_step)
            except Exception as error:  # report why the peer did not run
                last = traceback.format_exception_only(type(error), error)[-1]
                peer_cell = f"n/a: {last.strip()[:160]}"
        times = [
            min(t) for t in interleaved(steps, args.warmup, args.rounds, args.block)
        ]
        if len(times) == 2:
            peer_cell = f"{times[1] * 1e3:.1f} ms ({peer_params} params)"
            ratio = f"{times[1] / times[0]:.2f}"
        rows.append(
            (
                name,
                f"{times[0] * 1e3:.1f} ms ({kx_params} params)",
                peer_name,
                peer_cell,
                ratio,
            )
        )
    header = ("case", "kx NeuralOperator1D step", "peer", "peer step", "peer / kx")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
