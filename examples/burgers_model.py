"""The Fourier neural operator of the Burgers demo, built from kx.layers.

Importing this module imports keras: set ``KERAS_BACKEND`` first.

Architecture (Li et al. 2021, section 4), resolution-independent end to end:

    u0 (batch, n, 1)
      -> GridEmbedding1D: append x = i / n          (batch, n, 2)
      -> Dense(width)                  lifting       (batch, n, width)
      -> FNO1D(width, modes) x depth   GELU between, none after the last
      -> Dense(projection, gelu) -> Dense(1)         (batch, n, 1)

Example:

>>> model = build_fno(width=8, modes=4, depth=2, projection=16)
>>> import numpy as np
>>> model(np.zeros((2, 64, 1), "float32")).shape
(2, 64, 1)
"""

from __future__ import annotations

import keras
from keras import ops

from kx import layers as kx_layers


def build_fno(width=32, modes=16, depth=4, projection=128):
    """The demo's FNO: grid channel, lifting, ``depth`` FNO1D layers, projection."""
    inputs = keras.Input(shape=(None, 1), name="u0")
    x = kx_layers.GridEmbedding1D(name="grid")(inputs)
    x = keras.layers.Dense(width, name="lifting")(x)
    for i in range(depth):
        activation = "gelu" if i < depth - 1 else None
        x = kx_layers.FNO1D(width, modes, activation=activation, name=f"fno_{i}")(x)
    x = keras.layers.Dense(projection, activation="gelu", name="projection")(x)
    outputs = keras.layers.Dense(1, name="u1")(x)
    return keras.Model(inputs, outputs, name="burgers_fno")


@keras.saving.register_keras_serializable(package="burgers_demo")
def relative_l2(y_true, y_pred):
    """Per-sample relative L2 error ``||y_pred - y_true|| / ||y_true||``."""
    axes = tuple(range(1, len(y_true.shape)))
    diff = ops.sqrt(ops.sum(ops.square(y_pred - y_true), axis=axes))
    return diff / ops.sqrt(ops.sum(ops.square(y_true), axis=axes))
