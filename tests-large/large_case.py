"""One large case, forward and backward, in this process; prints its memory as JSON.

    KERAS_BACKEND=jax python tests-large/large_case.py fno2d 512

``test_large.py`` runs each case in a fresh subprocess, so that the process's peak
resident memory (``ru_maxrss``, which sees the backends' own allocations, unlike
tracemalloc) belongs to that case alone. It reports the peak after the imports,
the model and the data (``base``) and the peak after one training step
(``peak``): their difference is what the step itself needed.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import keras
import numpy as np

# (batch, channels/units): small batches, large inputs
FNO_BATCH, FNO_WIDTH, FNO_MODES = 2, 16, 12
CFC_BATCH, CFC_UNITS = 32, 32
WARM_UP = {"fno2d": 32, "cfc": 10}  # a first step at this size: one-time costs


def max_rss_mib() -> float:
    # kibibytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fno2d_model() -> keras.Model:
    from kx.layers import FNO2D

    inputs = keras.Input((None, None, 1))
    x = keras.layers.Dense(FNO_WIDTH)(inputs)
    x = FNO2D(FNO_WIDTH, FNO_MODES)(x)
    x = FNO2D(FNO_WIDTH, FNO_MODES)(x)
    outputs = keras.layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


def fno2d_data(size: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.random.default_rng(0).standard_normal((FNO_BATCH, size, size, 1))
    return x.astype("float32"), x.astype("float32")


def cfc_model() -> keras.Model:
    from kx.ncps import CfC

    inputs = keras.Input((None, 2))
    return keras.Model(inputs, CfC(CFC_UNITS, backbone_units=CFC_UNITS)(inputs))


def cfc_data(steps: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((CFC_BATCH, steps, 2)).astype("float32")
    y = rng.standard_normal((CFC_BATCH, CFC_UNITS)).astype("float32")
    return x, y


CASES = {"fno2d": (fno2d_model, fno2d_data), "cfc": (cfc_model, cfc_data)}


def main(case: str, size: int) -> None:
    keras.utils.set_random_seed(0)
    make_model, make_data = CASES[case]
    model = make_model()
    model.compile(optimizer="sgd", loss="mse")
    model.train_on_batch(*make_data(WARM_UP[case]))
    x, y = make_data(size)
    base = max_rss_mib()
    start = time.perf_counter()
    loss = model.train_on_batch(x, y)  # forward and backward (and one update)
    seconds = time.perf_counter() - start
    result = {
        "case": case,
        "size": size,
        "backend": keras.config.backend(),
        "base_mib": round(base, 1),
        "peak_mib": round(max_rss_mib(), 1),
        "seconds": round(seconds, 2),
        "loss_finite": bool(np.isfinite(loss)),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
