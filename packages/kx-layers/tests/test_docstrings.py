"""Every docstring example of kx.layers runs, with the output it shows."""

import doctest
import importlib
import pkgutil

import pytest

import kx.layers

MODULES = sorted(
    info.name for info in pkgutil.iter_modules(kx.layers.__path__, "kx.layers.")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, result
