"""The package's shape: every public module of kx.ops declares __all__."""

import importlib
import pkgutil

import pytest

import kx.ops

PUBLIC_MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(kx.ops.__path__, "kx.ops.")
    if not info.name.rsplit(".", 1)[1].startswith("_")
)


def test_the_public_modules_are_found():
    assert {"kx.ops.fft", "kx.ops.resampling", "kx.ops.spectral"} <= set(PUBLIC_MODULES)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_modules_declare_all(name):
    module = importlib.import_module(name)
    assert module.__all__, name
    for item in module.__all__:
        assert hasattr(module, item), (name, item)


@pytest.mark.parametrize("name", ["fourier_resample", "fft_dtype", "check_modes_fit"])
def test_the_fft_helpers_of_the_layers_are_public(name):
    assert name in kx.ops.__all__
    assert getattr(kx.ops, name).__doc__
