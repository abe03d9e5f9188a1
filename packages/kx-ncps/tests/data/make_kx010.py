"""Write the kx 0.1.0 ``.keras`` fixtures (run once, with kx-ncps 0.1.0 installed).

    KERAS_BACKEND=jax python packages/kx-ncps/tests/data/make_kx010.py

Each model is saved with its inputs and outputs, so that later kx versions can check
that files written by kx 0.1.0 still load and compute the same numbers.
"""

import os

import keras
import numpy as np

from kx.ncps import LTC, CfC
from kx.ncps.wirings import NCP, AutoNCP

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = {
    "cfc": lambda: CfC(4, backbone_units=6, return_sequences=True),
    "cfc_ncp": lambda: CfC(AutoNCP(8, 2), mode="no_gate"),
    "cfc_mixed": lambda: CfC(4, mixed_memory=True, backbone_units=5, mode="pure"),
    "ltc": lambda: LTC(NCP(3, 2, 2, 2, 2, 2, 1), ode_unfolds=2),
    "ltc_mixed": lambda: LTC(5, mixed_memory=True, ode_unfolds=2),
    "bidirectional": lambda: keras.layers.Bidirectional(CfC(3, backbone_units=4)),
}


def main() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    for name, make in MODELS.items():
        keras.utils.set_random_seed(3)
        model = keras.Sequential([keras.Input((5, 3)), make()])
        y = keras.ops.convert_to_numpy(model(x))
        model.save(os.path.join(HERE, f"kx010-{name}.keras"))
        np.savez(os.path.join(HERE, f"kx010-{name}.npz"), x=x, y=y)
        print(name, y.shape)


# a script, not a module to import: pytest --doctest-modules (the tests sessions)
# imports every .py file under tests/, which must not rewrite the fixtures
if __name__ == "__main__":
    main()
