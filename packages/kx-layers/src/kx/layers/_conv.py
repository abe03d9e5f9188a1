"""The keras convolution and upsampling layers by rank: ``CONV``, ``UPSAMPLING``."""

from __future__ import annotations

import keras

CONV = {1: keras.layers.Conv1D, 2: keras.layers.Conv2D, 3: keras.layers.Conv3D}
UPSAMPLING = {
    1: keras.layers.UpSampling1D,
    2: keras.layers.UpSampling2D,
    3: keras.layers.UpSampling3D,
}
