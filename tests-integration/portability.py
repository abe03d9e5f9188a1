"""Make the cross-backend portability fixtures: one ``.keras`` model per family and
backend.

    KERAS_BACKEND=jax python tests-integration/portability.py

writes ``tests-integration/data/portable-<family>-<backend>.keras`` and the inputs
and outputs it gave on that backend (``.npz``) for every family in ``FAMILIES``
(``portable-<backend>`` for the first, the kx-layers and kx-ncps model, as before).
``test_portability.py`` loads every fixture on the backend under test and checks
the same outputs come back, so a model trained on one backend serves on the others.
Run it on each backend after a change to a family's weights or configs, and commit
the files. A new family is one more entry in ``FAMILIES``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import keras
import numpy as np

# loading a .keras file needs its classes registered: importing kx's packages does it
import kx.blocks.models
import kx.layers
import kx.ncps
import kx.vision  # noqa: F401

DATA = Path(__file__).parent / "data"
LENGTH, CHANNELS = 16, 3


def layers_and_ncps() -> keras.Model:
    """A variable-length sequence model through FNO, spectral, CfC and LTC layers."""
    from kx.layers import FNO1D, GridEmbedding1D, SpectralConv1D
    from kx.ncps import LTC, CfC
    from kx.ncps.wirings import AutoNCP

    inputs = keras.Input((None, CHANNELS))
    x = GridEmbedding1D()(inputs)
    x = FNO1D(filters=8, modes=4)(x)
    x = SpectralConv1D(filters=6, modes=3)(x)
    cfc = CfC(AutoNCP(10, 4), return_sequences=True)(x)
    ltc = LTC(6, return_sequences=True)(x)
    outputs = keras.layers.Concatenate()([cfc, ltc])
    return keras.Model(inputs, outputs)


def neural_operator() -> keras.Model:
    from kx.blocks.models import NeuralOperator1D

    return NeuralOperator1D(
        filters=[8, 8], modes=4, input_projection_dimension=8,
        output_projection_dimension=2,
    )  # fmt: skip


def autoencoder() -> keras.Model:
    from kx.blocks.models import Unet1D

    return Unet1D(filters=[4, 8], kernel_size=3, output_filters=2)


def tsmixer() -> keras.Model:
    from kx.blocks.models import TSMixer

    return TSMixer(sequence_length=4, num_hidden=[8, 8])


def transformer(**options: Any) -> keras.Model:
    """``options`` go to the TransformerEncoder (test_determinism adds dropout)."""
    from kx.blocks import TransformerEncoder

    inputs = keras.Input((None, CHANNELS))
    x = keras.layers.Dense(8)(inputs)
    x = TransformerEncoder(num_heads=2, mlp_dim=16, **options)(x)
    return keras.Model(inputs, keras.layers.Dense(2)(x))


def vit(**options: Any) -> keras.Model:
    """``options`` go to ViT2D (test_determinism adds dropout)."""
    from kx.vision import ViT2D

    return ViT2D(
        (8, 8, CHANNELS), patch_size=4, num_classes=3, dim=8, depth=1, heads=2,
        mlp_dim=16, **options,
    )  # fmt: skip


# family -> (builder, input shape of the sample, a larger input the model also runs at)
FAMILIES: dict[str, tuple[Callable[[], keras.Model], tuple, tuple]] = {
    "layers-ncps": (layers_and_ncps, (2, LENGTH, CHANNELS), (2, 2 * LENGTH, CHANNELS)),
    "neural-operator": (
        neural_operator,
        (2, LENGTH, CHANNELS),
        (2, 2 * LENGTH, CHANNELS),
    ),
    "autoencoder": (autoencoder, (2, LENGTH, CHANNELS), (2, 2 * LENGTH, CHANNELS)),
    "tsmixer": (tsmixer, (2, LENGTH, CHANNELS), (2, LENGTH, CHANNELS)),
    "transformer": (transformer, (2, LENGTH, CHANNELS), (2, 2 * LENGTH, CHANNELS)),
    "vit": (vit, (2, 8, 8, CHANNELS), (2, 12, 16, CHANNELS)),
}


def fixture(family: str, backend: str) -> Path:
    """The fixture's path without suffix (the first family keeps its old name)."""
    name = "portable" if family == "layers-ncps" else f"portable-{family}"
    return DATA / f"{name}-{backend}"


def sample_inputs(family: str = "layers-ncps") -> np.ndarray:
    shape = FAMILIES[family][1]
    return np.random.default_rng(7).standard_normal(shape).astype("float32")


def main() -> None:
    backend = keras.config.backend()
    DATA.mkdir(exist_ok=True)
    for family, (build, _, _) in FAMILIES.items():
        keras.utils.set_random_seed(0)
        model = build()
        x = sample_inputs(family)
        model(x)  # builds every weight
        # Nonzero biases, so that their save and load is checked too.
        rng = np.random.default_rng(1)
        for weight in model.weights:
            value = keras.ops.convert_to_numpy(weight)
            weight.assign(value + 0.05 * rng.standard_normal(value.shape))
        y = model.predict(x, verbose=0)
        path = fixture(family, backend)
        model.save(path.with_suffix(".keras"))
        np.savez(path.with_suffix(".npz"), x=x, y=y)
        print(f"wrote {path}.keras and .npz, outputs {y.shape}")


if __name__ == "__main__":
    main()
