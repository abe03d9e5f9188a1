"""Every public class and function of the five kx packages is annotated.

Each wheel ships ``py.typed``, so its public signatures carry annotations: every
parameter (``*args`` and ``**kwargs`` included) and the return of each public
function, and of ``__init__`` and ``call`` of each public class where a kx class
defines them (methods inherited from keras are keras's). "Public" is what
``public_api.py`` walks: every public module's own classes and functions.
"""

from __future__ import annotations

import importlib
import inspect
import types

import pytest
from public_api import public_modules, public_objects

MODULES = public_modules()
METHODS = ("__init__", "call")


def unannotated(function):
    """The names of ``function``'s parameters without an annotation, and
    ``"return"`` when its return has none."""
    signature = inspect.signature(function)
    missing = [
        name
        for name, parameter in signature.parameters.items()
        if name not in ("self", "cls") and parameter.annotation is parameter.empty
    ]
    if signature.return_annotation is signature.empty:
        missing.append("return")
    return missing


def kx_defined(cls, method):
    """``cls.method`` where a kx class defines it (first in the MRO), else None."""
    for klass in cls.__mro__:
        if method in vars(klass):
            if klass.__module__.split(".")[0] == "kx":
                return vars(klass)[method]
            return None
    return None


def gaps(module):
    """``{"kx.x.Name.method": [unannotated parameters]}`` over ``module``'s API."""
    found = {}
    for name, obj in public_objects(module):
        if inspect.isfunction(obj):
            missing = unannotated(obj)
            if missing:
                found[name] = missing
            continue
        for method in METHODS:
            function = kx_defined(obj, method)
            if function is None:
                continue
            missing = unannotated(function)
            if missing:
                found[f"{name}.{method}"] = missing
    return found


def describe(found):
    return "unannotated public API:\n" + "\n".join(
        f"  {name}: {', '.join(missing)}" for name, missing in sorted(found.items())
    )


@pytest.mark.parametrize("module_name", MODULES)
def test_public_api_is_annotated(module_name):
    found = gaps(importlib.import_module(module_name))
    assert not found, describe(found)


def test_the_check_finds_what_is_missing():
    """The walk reports a function's unannotated parameters and return, and a kx
    class's ``__init__``/``call``, but not keras's inherited methods."""

    def bare(x, y: int, *args, **kwargs):
        return x

    def typed(x: int, *args: int, **kwargs: int) -> int:
        return x

    assert unannotated(bare) == ["x", "args", "kwargs", "return"]
    assert unannotated(typed) == []

    keras = pytest.importorskip("keras")

    class Untyped(keras.layers.Layer):
        def call(self, inputs):
            return inputs

    for obj in (Untyped, bare, typed):
        obj.__module__ = "kx.scratch"
    fake = types.ModuleType("kx.scratch")
    fake.__all__ = ["Untyped", "bare", "typed"]
    fake.Untyped, fake.bare, fake.typed = Untyped, bare, typed
    found = gaps(fake)
    assert found == {
        "kx.scratch.Untyped.call": ["inputs", "return"],
        "kx.scratch.bare": ["x", "args", "kwargs", "return"],
    }
    assert "kx.scratch.Untyped.call: inputs, return" in describe(found)
