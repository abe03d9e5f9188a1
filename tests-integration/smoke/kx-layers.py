"""Run inside a venv that holds only kx-layers, kx-ops and jax: an FNO works."""

import keras
import numpy as np

from kx.layers import FNO1D

layer = FNO1D(filters=8, modes=8)
layer.build(input_shape=(None, 32, 3))
x = np.random.default_rng(0).standard_normal((2, 32, 3)).astype("float32")
y = keras.ops.convert_to_numpy(layer(x))
assert y.shape == (2, 32, 8) and np.all(np.isfinite(y)), y.shape
# Resolution independence: the same weights at another, odd, length.
assert tuple(layer(np.ones((1, 45, 3), "float32")).shape) == (1, 45, 8)
print("smoke: kx-layers works")
