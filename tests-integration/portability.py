"""Make the cross-backend portability fixtures: one ``.keras`` model per backend.

    KERAS_BACKEND=jax python tests-integration/portability.py

writes ``tests-integration/data/portable-<backend>.keras`` and the inputs and outputs
it gave on that backend (``portable-<backend>.npz``). ``test_portability.py`` loads
every fixture on the backend under test and checks the same outputs come back, so a
model trained on one backend serves on the others. Run it on each backend after a
change to the layers' weights or configs, and commit the files.
"""

from pathlib import Path

import keras
import numpy as np

from kx.layers import FNO1D, GridEmbedding1D, SpectralConv1D
from kx.ncps import LTC, CfC
from kx.ncps.wirings import AutoNCP

DATA = Path(__file__).parent / "data"
LENGTH, CHANNELS = 16, 3


def build_model():
    """A variable-length sequence model through FNO, spectral, CfC and LTC layers."""
    inputs = keras.Input((None, CHANNELS))
    x = GridEmbedding1D()(inputs)
    x = FNO1D(filters=8, modes=4)(x)
    x = SpectralConv1D(filters=6, modes=3)(x)
    cfc = CfC(AutoNCP(10, 4), return_sequences=True)(x)
    ltc = LTC(6, return_sequences=True)(x)
    outputs = keras.layers.Concatenate()([cfc, ltc])
    return keras.Model(inputs, outputs)


def sample_inputs():
    return (
        np.random.default_rng(7)
        .standard_normal((2, LENGTH, CHANNELS))
        .astype("float32")
    )


def main():
    backend = keras.config.backend()
    keras.utils.set_random_seed(0)
    model = build_model()
    # Nonzero biases, so that their save and load is checked too.
    rng = np.random.default_rng(1)
    for weight in model.weights:
        value = keras.ops.convert_to_numpy(weight)
        weight.assign(value + 0.05 * rng.standard_normal(value.shape))
    x = sample_inputs()
    y = model.predict(x, verbose=0)
    DATA.mkdir(exist_ok=True)
    model.save(DATA / f"portable-{backend}.keras")
    np.savez(DATA / f"portable-{backend}.npz", x=x, y=y)
    print(f"wrote {DATA}/portable-{backend}.keras and .npz, outputs {y.shape}")


if __name__ == "__main__":
    main()
