"""kx-vision as a package: version, metadata, dependency chain and public API."""

import importlib
import importlib.metadata
import pkgutil

import keras
import pytest

import kx.vision


def test_version_matches_the_installed_metadata():
    assert kx.vision.__version__ == importlib.metadata.version("kx-vision")


@pytest.mark.parametrize("dependency", "blocks layers ops".split())
def test_kx_dependencies_are_installed_and_pinned(dependency):
    module = importlib.import_module(f"kx.{dependency}")
    requires = importlib.metadata.requires("kx-vision")
    (pin,) = [r for r in requires if r.startswith(f"kx-{dependency}")]
    assert ">=" in pin and "<" in pin, pin
    assert module.__version__ == importlib.metadata.version(f"kx-{dependency}")


PUBLIC_MODULES = sorted(
    ["kx.vision", "kx.vision.layers", "kx.vision.models"]
    + [
        m.name
        for package in ("layers", "models")
        for m in pkgutil.iter_modules(
            importlib.import_module(f"kx.vision.{package}").__path__,
            f"kx.vision.{package}.",
        )
        if not m.name.rsplit(".", 1)[-1].startswith("_")
    ]
    + ["kx.vision.presets"]
)


def test_public_modules_are_the_expected_ones():
    assert PUBLIC_MODULES == [
        "kx.vision",
        "kx.vision.layers",
        "kx.vision.layers.fourier_features",
        "kx.vision.layers.patch_embedding",
        "kx.vision.layers.position_embedding",
        "kx.vision.layers.space_time_encoder",
        "kx.vision.layers.tokens",
        "kx.vision.models",
        "kx.vision.models.simple_vit",
        "kx.vision.models.vision_transformer",
        "kx.vision.models.vit",
        "kx.vision.presets",
    ]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_modules_declare_all(name):
    module = importlib.import_module(name)
    assert module.__all__, name
    for item in module.__all__:
        assert hasattr(module, item), (name, item)


def test_every_public_class_is_registered_and_reexported():
    classes = [getattr(kx.vision, n) for n in kx.vision.__all__]
    classes = [c for c in classes if isinstance(c, type)]
    assert len(classes) == 19  # 8 layers, 11 models
    for cls in classes:
        assert issubclass(cls, keras.layers.Layer), cls
        name = keras.saving.get_registered_name(cls)
        assert name == f"kx>{cls.__name__}", name
    for name in kx.vision.layers.__all__ + kx.vision.models.__all__:
        assert getattr(kx.vision, name) is getattr(
            importlib.import_module(
                "kx.vision.layers" if name in kx.vision.layers.__all__
                else "kx.vision.models"
            ),
            name,
        )  # fmt: skip
