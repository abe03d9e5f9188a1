"""Run inside a venv that holds only kx-ncps, kx-ops and jax: CfC and LTC work."""

import keras
import numpy as np

from kx.ncps import LTC, CfC
from kx.ncps.wirings import AutoNCP

x = np.random.default_rng(0).standard_normal((2, 5, 4)).astype("float32")
t = np.full((2, 5, 1), 0.5, "float32")
y = keras.ops.convert_to_numpy(CfC(6, return_sequences=True)((x, t)))
assert y.shape == (2, 5, 6) and np.all(np.isfinite(y)), y.shape
z = keras.ops.convert_to_numpy(LTC(AutoNCP(8, 2))(x))
assert z.shape == (2, 2) and np.all(np.isfinite(z)), z.shape
print("smoke: kx-ncps works")
