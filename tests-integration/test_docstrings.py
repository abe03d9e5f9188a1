"""Every public class and function of the five kx packages has a docstring with an
``Example:`` section, and no example shows a backend-specific value.

The examples themselves run as doctests in each package's ``tests`` sessions
(``--doctest-modules``); this module checks that they exist and are backend-neutral.
The objects are found from the modules (``pkgutil.walk_packages``), not listed by hand.
"""

import doctest
import importlib
import inspect
import re
import types

import pytest
from public_api import PACKAGES, public_modules, public_objects

# Reprs that only one backend prints: examples show shapes, numpy values, ints, bools.
BACKEND_REPRS = ("Array(", "tf.Tensor", "tensor(", "<tf.", "jaxlib", "torch.")

_HEADER = re.compile(r"^(?P<indent>\s*)(?P<title>[A-Z][A-Za-z ]*):\s*$")


def has_example(doc):
    """Whether ``doc`` has an ``Example:``/``Examples:`` section with a ``>>>`` line."""
    lines = inspect.cleandoc(doc).splitlines()
    for start, line in enumerate(lines):
        header = _HEADER.match(line)
        if not header or header["title"] not in ("Example", "Examples"):
            continue
        depth = len(header["indent"])
        for body in lines[start + 1 :]:
            other = _HEADER.match(body)
            if other and len(other["indent"]) <= depth:
                break
            if body.strip().startswith(">>>"):
                return True
    return False


def missing_examples(module):
    """The public objects of ``module`` with no docstring or no example."""
    problems = []
    for name, obj in public_objects(module):
        doc = obj.__doc__  # the object's own docstring, never an inherited one
        if not doc or not doc.strip():
            problems.append(f"{name}: no docstring")
        elif not has_example(doc):
            problems.append(f"{name}: no Example: section with a >>> line")
    return problems


def backend_specific_outputs(module):
    """``name: line`` for every expected output line of ``module``'s doctests that
    shows a backend-specific repr."""
    found = []
    for test in doctest.DocTestFinder().find(module, module.__name__):
        for example in test.examples:
            for line in example.want.splitlines():
                if any(marker in line for marker in BACKEND_REPRS):
                    found.append(f"{test.name}: {line.strip()}")
    return found


MODULES = public_modules()


def test_the_walk_finds_every_package_and_subpackage():
    expected = {"kx.blocks.models", "kx.vision.layers", "kx.vision.models"}
    assert set(PACKAGES) | expected <= set(MODULES)
    assert "kx.ops.checks" in MODULES and "kx.layers.fno" in MODULES
    assert not [name for name in MODULES if "._" in name]


@pytest.mark.parametrize("name", MODULES)
def test_every_public_object_has_an_example(name):
    problems = missing_examples(importlib.import_module(name))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", MODULES)
def test_no_example_shows_a_backend_specific_value(name):
    found = backend_specific_outputs(importlib.import_module(name))
    assert not found, "\n".join(found)


def _fake_module():
    module = types.ModuleType("fake")

    def documented(x):
        """Double ``x``.

        Args:
            x: a number.

        Example:

        >>> documented(2)
        4
        """
        return 2 * x

    def no_example(x):
        """Double ``x``.

        Example:
            Call it with a number.

        Returns:
            >>> 1  (an example under another section does not count)
        """

    def no_docstring(x):
        pass

    class NoDocstring:
        pass

    class Backend:
        """A backend repr.

        Examples:

        >>> Backend()
        Array([1.], dtype=float32)
        """

    def _private():
        pass

    def not_exported():
        pass

    members = [documented, no_example, no_docstring, NoDocstring, Backend, _private]
    for obj in (*members, not_exported):
        obj.__module__ = "fake"
        setattr(module, obj.__name__, obj)
    module.__all__ = [obj.__name__ for obj in members]
    module.imported = inspect.cleandoc  # defined elsewhere: not this module's
    return module


def test_the_checks_find_a_missing_docstring_example_and_backend_repr():
    module = _fake_module()
    assert [name for name, _ in public_objects(module)] == [
        "fake.Backend",
        "fake.NoDocstring",
        "fake.documented",
        "fake.no_docstring",
        "fake.no_example",
    ]
    assert missing_examples(module) == [
        "fake.NoDocstring: no docstring",
        "fake.no_docstring: no docstring",
        "fake.no_example: no Example: section with a >>> line",
    ]
    assert backend_specific_outputs(module) == [
        "fake.Backend: Array([1.], dtype=float32)"
    ]
