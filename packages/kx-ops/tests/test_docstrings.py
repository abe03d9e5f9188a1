"""Every docstring example of kx.ops runs, with the output it shows."""

import doctest
import importlib
import pkgutil

import pytest

import kx.ops

MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(kx.ops.__path__, "kx.ops.")
    if not info.name.split(".")[-1].startswith("_")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, result
