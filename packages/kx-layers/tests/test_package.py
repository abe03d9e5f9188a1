"""The package's shape: public modules declare __all__, no private cross-imports."""

import ast
import importlib
import pathlib
import pkgutil
import re

import keras
import pytest

import kx.layers

SOURCE = pathlib.Path(kx.layers.__file__).parent
CALLBACKS = "kx.layers.callbacks"  # Keras callbacks, not layers
PUBLIC_MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(kx.layers.__path__, "kx.layers.")
    if not info.name.rsplit(".", 1)[1].startswith("_")
)


def test_the_public_modules_are_found():
    assert "kx.layers.fno" in PUBLIC_MODULES
    # a private module exists and the filter leaves it out
    found = {
        info.name for info in pkgutil.iter_modules(kx.layers.__path__, "kx.layers.")
    }
    assert "kx.layers._rank" in found
    assert "kx.layers._rank" not in PUBLIC_MODULES


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_modules_declare_all(name):
    module = importlib.import_module(name)
    assert module.__all__, name
    for item in module.__all__:
        assert hasattr(module, item), (name, item)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_each_class_lives_in_the_module_named_after_it(name):
    """``FNO1D`` in ``fno``, ``SpatialAttention`` in ``spatial_attention``, ..."""
    module = importlib.import_module(name)
    stem = name.rsplit(".", 1)[1].replace("_", "")
    for item in module.__all__:
        obj = getattr(module, item)
        if isinstance(obj, type):
            assert obj.__module__ == name, (name, item)
            if name == CALLBACKS:
                # named after the kind, as keras.callbacks: every class is one
                assert issubclass(obj, keras.callbacks.Callback), item
                continue
            family = re.sub("[123]d$", "", item.lower())
            assert family == stem, f"{item} is in {name}"


def test_no_private_name_is_imported_from_another_module():
    """Private helpers stay in their module (private modules may be imported)."""
    for path in sorted(SOURCE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "kx."
            ):
                # (``from kx.layers import _rank`` imports a private module)
                modules = node.module in ("kx.layers", "kx.ops")
                private = [a.name for a in node.names if a.name.startswith("_")]
                private = [] if modules else private
                assert not private, f"{path.name} imports {private} from {node.module}"


def test_kx_layers_exports_every_public_class():
    exported = set(kx.layers.__all__)
    # the callbacks are not layers: they stay in their module
    for name in [n for n in PUBLIC_MODULES if n != CALLBACKS]:
        module = importlib.import_module(name)
        classes = {i for i in module.__all__ if isinstance(getattr(module, i), type)}
        assert classes <= exported, (name, classes - exported)
