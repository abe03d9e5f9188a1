"""No two public classes of the family register the same serializable name.

Keras keeps one class per registered name and overwrites silently, so a kx-vision
class registered as, say, ``kx>PatchEmbedding`` after a kx-layers one of that name
would take over loading of every `.keras` file that holds the other.
"""

import importlib
import inspect
import pkgutil

import keras
import pytest

PACKAGES = ("ops", "layers", "ncps", "blocks", "vision")


def _public_modules():
    for name in PACKAGES:
        package = importlib.import_module(f"kx.{name}")
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"kx.{name}."):
            if any(part.startswith("_") for part in info.name.split(".")):
                continue
            if info.name.endswith(".testing"):
                continue  # the harness' example classes are not the family's
            yield importlib.import_module(info.name)


def _public_classes():
    found = {}
    for module in _public_modules():
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if not obj.__module__.startswith("kx."):
                continue
            if obj.__name__.startswith("_"):
                continue
            if issubclass(obj, keras.layers.Layer | keras.Model):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


CLASSES = _public_classes()
# what a package exports at its top (kx.layers, kx.blocks.models, kx.vision.layers,
# ...) is what users save: it must be registered; bases such as
# kx.ncps.base.ContinuousRNN, never saved themselves, need not be
EXPORTED = sorted(
    path
    for path, cls in CLASSES.items()
    if any(
        cls.__name__ in getattr(module, "__all__", ())
        and getattr(module, cls.__name__, None) is cls
        for module in _public_modules()
        if module.__name__.count(".") == 1
        or module.__name__.rsplit(".", 1)[1] in ("models", "layers")
    )
)
REGISTERED = sorted(
    path
    for path, cls in CLASSES.items()
    if ">" in keras.saving.get_registered_name(cls)
)


def test_there_are_classes_to_check():
    assert len(EXPORTED) > 40
    assert len(REGISTERED) >= len(EXPORTED)


@pytest.mark.parametrize("path", EXPORTED)
def test_exported_classes_are_registered_under_kx(path):
    name = keras.saving.get_registered_name(CLASSES[path])
    assert name.startswith("kx>"), f"{path} is not registered under package 'kx'"


@pytest.mark.parametrize("path", REGISTERED)
def test_registered_name_loads_its_own_class(path):
    cls = CLASSES[path]
    name = keras.saving.get_registered_name(cls)
    owner = keras.saving.get_registered_object(name)
    assert owner is cls, (
        f"{path} registers {name!r}, which now loads {owner.__module__}."
        f"{owner.__qualname__}: two classes share one registered name"
    )


def test_registered_names_are_unique():
    names = {}
    for cls in CLASSES.values():
        if ">" in keras.saving.get_registered_name(cls):
            names.setdefault(keras.saving.get_registered_name(cls), set()).add(cls)
    shared = {
        n: sorted(c.__qualname__ for c in v) for n, v in names.items() if len(v) > 1
    }
    assert not shared, f"registered names used by several classes: {shared}"
