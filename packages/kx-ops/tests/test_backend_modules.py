"""kx.ops._backend: every backend module defines every hook.

The three modules are read with ``ast`` (so each is checked whatever the active
backend is, without importing the other backends' libraries); the active one is
also imported and its hooks are the package's.
"""

import ast
import importlib
import pathlib

import keras
import pytest

from kx.ops import _backend

PACKAGE = pathlib.Path(_backend.__file__).parent


def module_level_names(path):
    """The names a module binds at its top level (functions, classes,
    assignments, imports)."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def missing_hooks(path):
    return [hook for hook in _backend.__all__ if hook not in module_level_names(path)]


def test_the_hooks_are_listed():
    assert set(_backend.__all__) >= {"rfftn", "irfftn", "fftn", "einsum", "scan"}
    assert len(set(_backend.__all__)) == len(_backend.__all__)
    assert _backend.BACKENDS == ("jax", "tensorflow", "torch")


@pytest.mark.parametrize("name", ["jax", "tensorflow", "torch"])
def test_every_backend_module_defines_every_hook(name):
    path = PACKAGE / f"{name}.py"
    assert path.is_file(), f"kx.ops._backend has no module {name}.py"
    missing = missing_hooks(path)
    assert not missing, (
        f"kx/ops/_backend/{name}.py does not define the hook(s) {missing}"
    )


def test_the_check_names_a_missing_hook(tmp_path):
    path = tmp_path / "partial.py"
    path.write_text(
        "import math\n\n"
        "def rfftn(x, axes, norm):\n    return x\n\n"
        "def _scan(f, init, xs, reverse):\n    return init\n\n"
        "split = None\n"
    )
    missing = missing_hooks(path)
    assert "scan" in missing and "fftn" in missing
    assert "rfftn" not in missing and "split" not in missing


def test_the_active_module_is_imported_and_exposed():
    module = importlib.import_module(f"kx.ops._backend.{keras.config.backend()}")
    for hook in _backend.__all__:
        assert callable(getattr(module, hook, None)), (
            f"{module.__name__} does not define the hook {hook!r}"
        )
        assert getattr(_backend, hook) is getattr(module, hook), hook


@pytest.mark.parametrize("name", ["jax", "tensorflow", "torch"])
def test_hooks_with_one_meaning_have_one_signature(name):
    # the hooks every backend implements take the same arguments everywhere
    tree = ast.parse((PACKAGE / f"{name}.py").read_text())
    jax_tree = ast.parse((PACKAGE / "jax.py").read_text())

    def arguments(module):
        return {
            node.name: [a.arg for a in node.args.args]
            for node in module.body
            if isinstance(node, ast.FunctionDef) and node.name in _backend.__all__
        }

    ours, reference = arguments(tree), arguments(jax_tree)
    for hook in _backend.__all__:
        if hook in ours and hook in reference:
            assert ours[hook] == reference[hook], (name, hook)
