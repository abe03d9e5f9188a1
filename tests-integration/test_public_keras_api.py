"""The kx sources use Keras's public API only: no module imports ``keras.src``."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = sorted(ROOT.glob("packages/*/src/**/*.py"))


def _private_keras_imports(path, root=ROOT):
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{a.name}" for a in node.names]
        private = [n for n in names if n == "keras.src" or n.startswith("keras.src.")]
        if private:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {private[0]}")
    return found


def test_the_sources_are_there():
    packages = {p.relative_to(ROOT).parts[1] for p in SOURCES}
    assert {"kx-ops", "kx-layers", "kx-ncps"} <= packages


def test_no_source_imports_keras_src():
    found = [hit for path in SOURCES for hit in _private_keras_imports(path)]
    assert not found, "private Keras imports:\n" + "\n".join(found)


def test_the_check_finds_a_private_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import keras\nfrom keras.src.backend import rnn\nimport keras.src.ops as o\n"
        "from keras import src\n"
    )
    assert len(_private_keras_imports(bad, tmp_path)) == 3
