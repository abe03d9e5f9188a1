"""kx-blocks as a package: version, metadata, dependency chain and public API."""

import importlib
import importlib.metadata

import pytest

import kx.blocks


def test_version_matches_the_installed_metadata():
    assert kx.blocks.__version__ == importlib.metadata.version("kx-blocks")


@pytest.mark.parametrize("dependency", "layers ops".split())
def test_kx_dependencies_are_installed_and_pinned(dependency):
    module = importlib.import_module(f"kx.{dependency}")
    requires = importlib.metadata.requires("kx-blocks")
    (pin,) = [r for r in requires if r.startswith(f"kx-{dependency}")]
    assert ">=" in pin and "<" in pin, pin
    assert module.__version__ == importlib.metadata.version(f"kx-{dependency}")


PUBLIC_MODULES = (
    "kx.blocks",
    "kx.blocks.attention",
    "kx.blocks.decoder",
    "kx.blocks.encoder",
    "kx.blocks.feed_forward",
    "kx.blocks.models",
    "kx.blocks.models.autoencoder",
    "kx.blocks.models.neural_operator",
    "kx.blocks.models.tsmixer",
    "kx.blocks.regularization",
    "kx.blocks.transformer",
    "kx.blocks.tsmixer",
)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_modules_declare_all(name):
    module = importlib.import_module(name)
    assert module.__all__, name
    for item in module.__all__:
        assert hasattr(module, item), (name, item)


def test_every_public_class_is_a_registered_keras_layer():
    import keras

    classes = [getattr(kx.blocks, n) for n in kx.blocks.__all__]
    classes = [c for c in classes if isinstance(c, type)]
    assert len(classes) == 29  # 9, 16 encoder/decoder blocks, 4 NeuralOperator
    for cls in classes:
        assert issubclass(cls, keras.layers.Layer), cls
        assert keras.saving.get_registered_object(f"kx>{cls.__name__}") is cls
    assert issubclass(kx.blocks.TSMixer, keras.Model)
