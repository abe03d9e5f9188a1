"""Symbolic (KerasTensor) shapes, None dims included, and use in functional models."""

import keras
import numpy as np

from kx import ops as kops


def test_symbolic_shapes_with_none_dims():
    x = keras.Input((None, None, 3))
    z = kops.rfftn(x, axes=(1, 2))
    assert tuple(z[0].shape) == (None, None, None, 3)
    kept = kops.truncate_modes(z, (4, 3), axes=(1, 2))
    assert tuple(kept[0].shape) == (None, 8, 3, 3)
    full = kops.pad_modes(kept, (None, None), (4, 3), axes=(1, 2))
    assert tuple(full[1].shape) == (None, None, None, 3)
    assert tuple(kops.irfftn(full, s=(None, None), axes=(1, 2)).shape) == (
        None,
        None,
        None,
        3,
    )
    y = keras.Input((16, 10, 3))
    assert tuple(kops.rfftn(y, axes=(1, 2))[0].shape) == (None, 16, 6, 3)
    assert tuple(kops.irfftn(kops.rfftn(y, axes=(1, 2)), axes=(1, 2)).shape) == (
        None,
        16,
        10,
        3,
    )
    assert tuple(kops.fftn((y, y), s=(4,), axes=(2,))[0].shape) == (None, 16, 4, 3)


def test_functional_model_matches_numpy():
    x = keras.Input((12, 10, 2))
    kept = kops.truncate_modes(kops.rfftn(x, axes=(1, 2)), 3, axes=(1, 2))
    full = kops.pad_modes(kept, (12, 6), 3, axes=(1, 2))
    model = keras.Model(x, kops.irfftn(full, s=(12, 10), axes=(1, 2)))
    data = np.random.default_rng(0).normal(size=(2, 12, 10, 2)).astype("float32")
    z = np.fft.rfftn(data, axes=(1, 2))
    ref = np.zeros_like(z)
    ref[:, :3, :3] = z[:, :3, :3]
    ref[:, -3:, :3] = z[:, -3:, :3]
    np.testing.assert_allclose(
        model.predict(data, verbose=0),
        np.fft.irfftn(ref, s=(12, 10), axes=(1, 2)),
        atol=1e-4,
    )
