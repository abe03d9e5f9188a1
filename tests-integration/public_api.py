"""The public API of the five kx packages, found from the modules, not listed by hand
(test_docstrings.py and test_annotations.py walk it).

A public module is a package or any module below it with no ``_``-prefixed name part;
its public objects are the classes and functions it defines itself (in its
``__all__`` when it has one), so a re-exported object is visited once, where it is
defined.
"""

import importlib
import inspect
import pkgutil

PACKAGES = ("kx.ops", "kx.layers", "kx.ncps", "kx.blocks", "kx.vision")


def public_modules(packages=PACKAGES):
    """The packages and every module below them with no ``_``-prefixed name part."""
    names = []
    for package in packages:
        names.append(package)
        path = importlib.import_module(package).__path__
        for info in pkgutil.walk_packages(path, package + "."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                names.append(info.name)
    return sorted(set(names))


def public_objects(module):
    """``(qualified name, object)`` of the public classes and functions that
    ``module`` defines (in its ``__all__`` when it has one)."""
    exported = getattr(module, "__all__", None)
    found = []
    for name, obj in sorted(vars(module).items()):
        if name.startswith("_") or (exported is not None and name not in exported):
            continue
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        found.append((f"{module.__name__}.{name}", obj))
    return found
