"""The kx-vision skeleton: its version, metadata and dependency chain are consistent."""

import importlib
import importlib.metadata

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
