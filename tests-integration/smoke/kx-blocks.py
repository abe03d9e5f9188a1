"""Run inside a venv that holds only kx-blocks, kx-layers, kx-ops and jax: the
transformer, attention and TSMixer blocks work."""

import keras
import numpy as np

from kx.blocks import CausalSelfAttention, TransformerEncoder
from kx.blocks.models import TSMixer

x = np.random.default_rng(0).standard_normal((2, 6, 8)).astype("float32")
y = keras.ops.convert_to_numpy(TransformerEncoder(num_heads=2, mlp_dim=16)(x))
assert y.shape == (2, 6, 8) and np.all(np.isfinite(y)), y.shape
z = keras.ops.convert_to_numpy(CausalSelfAttention(num_heads=2, key_dim=4)(x))
assert z.shape == (2, 6, 8) and np.all(np.isfinite(z)), z.shape
f = keras.ops.convert_to_numpy(TSMixer(sequence_length=3, num_hidden=[16])(x))
assert f.shape == (2, 3, 8) and np.all(np.isfinite(f)), f.shape
print("smoke: kx-blocks works")
