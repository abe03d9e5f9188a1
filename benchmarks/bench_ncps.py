"""Train-step speed of kx.ncps CfC and LTC vs ncps.keras and keras LSTM.

    KERAS_BACKEND=<jax|tensorflow|torch> python benchmarks/bench_ncps.py [--quick]
        [--ncps-python PATH]

One train step = ``model.train_on_batch`` on a batch of 32 sequences of 100 steps
with 8 features, model ``Input -> RNN -> Dense(1)``, MSE, Adam. Timed: the minimum
over 7 interleaved rounds of the mean time of a block of 10 steps, after warm-up
(so jit compilation is excluded). Models: kx.ncps ``CfC(64)`` and
``LTC(AutoNCP(64, 8))``, the same two from ``ncps.keras`` 1.0.1, and
``keras.layers.LSTM(64)`` as baseline. On jax, ncps's LTC is patched so that it can
train at all (its reversal-potential initializers return int32 arrays, which the
jax backend keeps as int32 variables); its row says so.

The ncps rows run in a child process (ncps registers global Keras objects), by
default with this interpreter (``nox -s bench`` installs ncps next to kx), or with
the interpreter of a separate ncps environment given by ``--ncps-python`` (or
``NCPS_PYTHON``); the script runs itself there with ``--only ncps`` on the same
backend and prints one table. A model that fails is reported with its error
instead of a time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from timing import interleaved

BATCH, STEPS, FEATURES = 32, 100, 8


def _model(keras, name):
    if name.startswith("kx"):
        from kx.ncps import LTC, CfC
        from kx.ncps.wirings import AutoNCP
    elif name.startswith("ncps"):
        from ncps.keras import LTC, CfC
        from ncps.wirings import AutoNCP
    if name.endswith("CfC(64)"):
        rnn = CfC(64)
    elif name.endswith("LTC(AutoNCP(64, 8))"):
        wiring = AutoNCP(64, 8)
        if name.startswith("ncps") and keras.config.backend() == "jax":
            _cast_erev(wiring)
            NOTES[name] = JAX_NCPS_NOTE
        rnn = LTC(wiring)
    else:
        rnn = keras.layers.LSTM(64)
    model = keras.Sequential(
        [keras.Input((STEPS, FEATURES)), rnn, keras.layers.Dense(1)]
    )
    model.compile(keras.optimizers.Adam(1e-3), "mse")
    return model


NOTES = {}
JAX_NCPS_NOTE = (
    "ncps patched to train on jax: its erev initializers return int32 arrays, "
    "which jax keeps as int32 variables (unpatched: 'grad requires real- or "
    "complex-valued inputs ... int32'); cast to float32 here"
)


def _cast_erev(wiring):
    """ncps 1.0.1's wirings initialise the reversal potentials with their int32
    adjacency matrices; on jax the variables keep that dtype and its LTC cannot
    be differentiated. Cast them (the same values) so that it can train."""
    for attr in ("erev_initializer", "sensory_erev_initializer"):
        initializer = getattr(wiring, attr)

        def as_float(shape=None, dtype=None, initializer=initializer):
            return initializer(shape, dtype).astype("float32")

        setattr(wiring, attr, as_float)


def _measure(names, quick):
    """ms per train step of each model: the minimum over rounds of a block's mean.

    The models are built and warmed up first, then timed in interleaved rounds
    (a block of steps of each model per round), so that a slow spell of the
    machine hits every model alike; the minimum is the least disturbed round.
    """
    import keras
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.normal(size=(BATCH, STEPS, FEATURES)).astype("float32")
    y = rng.normal(size=(BATCH, 1)).astype("float32")
    results, models = {}, {}
    for name in names:
        try:
            model = _model(keras, name)
            for _ in range(2 if quick else 3):
                loss = model.train_on_batch(x, y)
            if not np.isfinite(float(np.asarray(loss).ravel()[0])):
                raise RuntimeError(f"loss is {loss}")
            models[name] = model
        except Exception as error:  # a failure is a result too
            message = f"{type(error).__name__}: {error}".splitlines()[0][:160]
            results[name] = {"error": message}
    block, rounds = (3, 2) if quick else (10, 7)
    steps = [lambda m=m: m.train_on_batch(x, y) for m in models.values()]
    for name, times in zip(models, interleaved(steps, 0, rounds, block)):
        results[name] = {"ms": 1000.0 * min(times), "note": NOTES.get(name, "")}
    return results


KX = ["kx CfC(64)", "kx LTC(AutoNCP(64, 8))", "keras LSTM(64)"]
NCPS = ["ncps CfC(64)", "ncps LTC(AutoNCP(64, 8))"]


def _ncps_results(python, quick):
    command = [python, os.path.abspath(__file__), "--only", "ncps"]
    if quick:
        command.append("--quick")
    done = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1][:160]
        return {n: {"error": f"ncps process failed: {tail}"} for n in NCPS}
    return json.loads(lines[-1])


def _row(name, result, lstm_ms):
    if "ms" not in result:
        return f"| {name} | failed | | {result['error']} |"
    ratio = result["ms"] / lstm_ms if lstm_ms else float("nan")
    return f"| {name} | {result['ms']:.1f} | {ratio:.2f} | {result.get('note', '')} |"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=["kx", "ncps"])
    parser.add_argument(
        "--ncps-python", default=os.environ.get("NCPS_PYTHON", sys.executable)
    )
    args = parser.parse_args()
    if args.only == "ncps":
        print(json.dumps(_measure(NCPS, args.quick)))
        return
    import keras

    results = _measure(KX, args.quick)
    if args.only != "kx":
        results.update(_ncps_results(args.ncps_python, args.quick))
    lstm = results["keras LSTM(64)"].get("ms")
    print(
        f"backend {keras.config.backend()}, keras {keras.__version__}, batch "
        f"{BATCH}, {STEPS} steps, {FEATURES} features, train step"
    )
    print("| model | ms / train step | vs LSTM(64) | note |")
    print("|---|---|---|---|")
    for name in KX + NCPS:
        if name in results:
            print(_row(name, results[name], lstm))
    pairs = (("CfC(64)", "CfC"), ("LTC(AutoNCP(64, 8))", "LTC"))
    for suffix, short in pairs:
        ours, theirs = results[f"kx {suffix}"], results.get(f"ncps {suffix}", {})
        if "ms" in ours and "ms" in theirs:
            print(f"kx {short} is {theirs['ms'] / ours['ms']:.1f}x faster than ncps")


if __name__ == "__main__":
    main()
