"""The Python examples of the root README.md and of the documentation's hand-written
pages (docs/**/*.md) run as written on this backend.

A docs block that imports a peer (kerex, ncps, k3im, neuraloperator, keras-hub) shows
the code a user moves from: the peers are not installed here, so those blocks are
listed and skipped by name, never silently.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
PEER = re.compile(r"^\s*(?:from|import) (?:kerex|ncps|k3im|neuralop|keras_hub)\b", re.M)
DOC_BLOCKS = [
    (f"{page.relative_to(ROOT)} example {i}", block)
    for page in sorted((ROOT / "docs").rglob("*.md"))
    for i, block in enumerate(
        re.findall(r"```python\n(.*?)```", page.read_text(), re.S)
    )
]


def test_readme_has_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_example_runs(index):
    exec(compile(BLOCKS[index], f"README.md example {index}", "exec"), {})


def test_docs_have_examples():
    assert len(DOC_BLOCKS) >= 1


@pytest.mark.parametrize(("name", "block"), DOC_BLOCKS, ids=[n for n, _ in DOC_BLOCKS])
def test_docs_example_runs(name, block):
    if PEER.search(block):
        pytest.skip(f"{name} shows a peer's code (the peers are not installed here)")
    exec(compile(block, name, "exec"), {})
