"""All five kx distributions installed together compose one implicit namespace."""

import importlib
import importlib.metadata
import pathlib

import pytest

import kx

PACKAGES = ("ops", "layers", "ncps", "blocks", "vision")


def test_kx_is_an_implicit_namespace():
    assert getattr(kx, "__file__", None) is None
    for path in kx.__path__:
        assert not (pathlib.Path(path) / "__init__.py").exists()


@pytest.mark.parametrize("name", PACKAGES)
def test_each_package_imports_with_its_metadata_version(name):
    module = importlib.import_module(f"kx.{name}")
    assert module.__version__ == importlib.metadata.version(f"kx-{name}")
    files = importlib.metadata.files(f"kx-{name}")
    top = {f.parts[0] for f in files if not f.parts[0].endswith(".dist-info")}
    assert top == {"kx"}
    assert {f.parts[1] for f in files if f.parts[0] == "kx"} == {name}
