"""The Fourier neural operator of the Burgers demo: kx.blocks.models.NeuralOperator1D.

Importing this module imports keras: set ``KERAS_BACKEND`` first.

Architecture (Li et al. 2021, section 4), resolution-independent end to end:

    u0 (batch, n, 1)
      -> grid embedding: append x = i / n              (batch, n, 2)
      -> linear lifting (lifting_channel_ratio=0)      (batch, n, width)
      -> depth Fourier blocks: SpectralConv + linear skip, GELU between, none
         after the last (no channel MLP in the blocks)
      -> projection MLP: width -> projection (GELU) -> 1   (batch, n, 1)

Example:

>>> model = build_fno(width=8, modes=4, depth=2, projection=16)
>>> import numpy as np
>>> tuple(model(np.zeros((2, 64, 1), "float32")).shape)
(2, 64, 1)
"""

from __future__ import annotations

import keras
from keras import ops

from kx.blocks.models import NeuralOperator1D


def build_fno(width=32, modes=16, depth=4, projection=128):
    """The demo's FNO: grid channel, lifting, ``depth`` Fourier blocks, projection."""
    model = NeuralOperator1D(
        filters=[width] * depth,
        modes=modes,
        input_projection_dimension=width,
        output_projection_dimension=1,
        lifting_channel_ratio=0,
        projection_channel_ratio=projection / width,
        use_channel_mlp=False,
        name="burgers_fno",
    )
    model.build((None, None, 1))  # any number of points
    return model


@keras.saving.register_keras_serializable(package="burgers_demo")
def relative_l2(y_true, y_pred):
    """Per-sample relative L2 error ``||y_pred - y_true|| / ||y_true||``."""
    axes = tuple(range(1, len(y_true.shape)))
    diff = ops.sqrt(ops.sum(ops.square(y_pred - y_true), axis=axes))
    return diff / ops.sqrt(ops.sum(ops.square(y_true), axis=axes))
