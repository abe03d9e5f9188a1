"""Determinism: with ``keras.utils.set_random_seed``, two trainings of the same
model on the same backend give identical weights, dropout included.

One test over the families of ``portability.FAMILIES``; each family trains with
dropout switched on: its own where it has one (CfC's backbone dropout,
TransformerEncoder's dropout and drop path, ViT2D's, TSMixer's dropout rate, on by
default), else a Keras Dropout on its output. A third training under another seed
must differ, so the test sees the dropout masks (and the initial weights) at work.
The recipe is in docs/robustness.md.
"""

from __future__ import annotations

import functools

import keras
import numpy as np
import portability
import pytest

CHANNELS = portability.CHANNELS


def cfc_with_dropout() -> keras.Model:
    from kx.ncps import CfC

    inputs = keras.Input((None, CHANNELS))
    outputs = CfC(6, backbone_units=8, backbone_dropout=0.3, return_sequences=True)(
        inputs
    )
    return keras.Model(inputs, outputs)


def with_output_dropout(family):
    build, shape, _ = portability.FAMILIES[family]

    def make() -> keras.Model:
        model = build()
        inputs = keras.Input((None,) * (len(shape) - 2) + shape[-1:])
        return keras.Model(inputs, keras.layers.Dropout(0.3)(model(inputs)))

    return make


BUILDERS = {
    "layers-ncps": cfc_with_dropout,
    "transformer": functools.partial(
        portability.transformer, dropout=0.3, drop_path=0.3
    ),
    "vit": functools.partial(portability.vit, dropout=0.3, drop_path=0.3),
    "tsmixer": portability.tsmixer,  # dropout_rate=0.1 by default
    "neural-operator": with_output_dropout("neural-operator"),
    "autoencoder": with_output_dropout("autoencoder"),
}


def test_every_family_is_covered():
    assert set(BUILDERS) == set(portability.FAMILIES)


def train(family: str, seed: int) -> list[np.ndarray]:
    keras.utils.set_random_seed(seed)
    model = BUILDERS[family]()
    x = portability.sample_inputs(family)
    y = np.zeros(keras.ops.convert_to_numpy(model(x)).shape, "float32") + 0.5
    # eager steps: no per-model compilation (jax compiles each fit otherwise)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", run_eagerly=True)
    model.fit(x, y, batch_size=1, epochs=1, verbose=0, shuffle=True)  # two steps
    return [keras.ops.convert_to_numpy(w) for w in model.weights]


@pytest.mark.parametrize("family", sorted(BUILDERS))
def test_two_seeded_trainings_give_identical_weights(family):
    first, second = train(family, 1), train(family, 1)
    assert len(first) == len(second)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    other = train(family, 2)
    assert any(not np.array_equal(a, c) for a, c in zip(first, other))
