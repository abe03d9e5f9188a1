"""Tests of the documentation tools (docs/griffe_kx.py, docs/hooks.py) and of the
built site; `nox -s docs` runs them after `mkdocs build --strict`.

A docstring with a malformed section must fail the strict build with a message that
names the object; Keras-style sections must render as tables and code (read from the
HTML, not from the build log); every public name of every package has its entry in
the API reference.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
SITE = ROOT / "site"
sys.path.insert(0, str(DOCS))

import hooks  # noqa: E402  (docs/hooks.py)

CONFIG = """\
site_name: t
docs_dir: pages
site_dir: out
theme: {{name: material, font: false}}
plugins:
  - mkdocstrings:
      handlers:
        python:
          paths: [src]
          options:
            docstring_style: google
            docstring_options: {{returns_multiple_items: false}}
            extensions: [{extension}]
            docstring_section_style: table
            merge_init_into_class: true
            show_root_heading: true
            heading_level: 2
"""


def build(tmp_path: Path, source: str) -> tuple[subprocess.CompletedProcess, str]:
    """``mkdocs build --strict`` of one page documenting the module ``source``."""
    (tmp_path / "src" / "demo").mkdir(parents=True)
    (tmp_path / "src" / "demo" / "__init__.py").write_text(textwrap.dedent(source))
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.md").write_text("::: demo\n")
    (tmp_path / "mkdocs.yml").write_text(CONFIG.format(extension=DOCS / "griffe_kx.py"))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    page = tmp_path / "out" / "index.html"
    return result, page.read_text() if page.exists() else ""


KERAS_STYLE = '''
class Layer:
    """A layer in Keras's docstring style.

    Args:
        units: the output width.
        kernel_initializer, bias_initializer,
            kernel_regularizer: weight options.

    Call arguments:
        inputs: the input tensor.
        training: whether the call is in training mode.

    Example:

    >>> 1 + 1
    2
    """

    def __init__(self, units: int, kernel_initializer: str = "a",
                 bias_initializer: str = "b", kernel_regularizer: str = "c"):
        pass

    def call(self, inputs: list, training: bool | None = None) -> list:
        return inputs
'''


def test_keras_style_docstrings_render_as_tables_and_code(tmp_path):
    result, html = build(tmp_path, KERAS_STYLE)
    assert result.returncode == 0, result.stderr
    # the call arguments are a parameter table with the types of `call`
    call = html[html.index("Call arguments") :]
    assert "<table" in call[:2000]
    assert "inputs" in call and "training" in call
    assert re.search(r"bool.{0,200}None", call[:4000], re.S)
    # every name of the grouped entry gets its own row
    for name in ("kernel_initializer", "bias_initializer", "kernel_regularizer"):
        assert re.search(rf"<code>{name}</code>", html), name
    # the example is code, not a Markdown block quote
    assert "<blockquote>" not in html
    code = re.findall(r"<code>(.*?)</code>", html, re.S)
    assert any("&gt;&gt;&gt;" in c and "1" in c for c in code)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Args:\n        this line has no colon\n", "not 'name: description'"),
        ("Example:\n\n    1 + 1 is 2, with no prompt\n", "has no '>>>' line"),
        ("See :class:`~kx.nowhere.Thing`.\n", "unknown 'kx.nowhere.Thing'"),
    ],
)
def test_a_malformed_section_fails_the_build_naming_the_object(
    tmp_path, body, expected
):
    source = (
        "class Broken:\n"
        '    """A class.\n\n'
        f"    {body}"
        '    """\n\n'
        "    def __init__(self, x: int = 1):\n"
        "        pass\n"
    )
    result, _ = build(tmp_path, source)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "demo.Broken" in log, log
    assert expected in log, log


def test_links_out_of_the_site_go_to_the_source_repository():
    text = hooks.rewrite_links(
        "[a](BENCHMARKS.md#ci-time) [b](tests-integration/test_readme.py) "
        "[c](packages/kx-ops) [d](benchmarks/results/ops.md) [e](https://x.org)",
        Path("README.md"),
        "getting-started/kx-ops.md",
    )
    assert "[a](../benchmarks/index.md#ci-time)" in text
    assert f"[b]({hooks.SOURCE}tests-integration/test_readme.py)" in text
    assert "[c](kx-ops.md)" in text
    assert "[d](../benchmarks/ops.md)" in text
    assert "[e](https://x.org)" in text


def test_every_distribution_gets_its_pages_in_pin_order():
    names = [d.name for d in hooks.distributions()]
    assert sorted(names) == sorted(
        p.parent.name for p in ROOT.glob("packages/*/pyproject.toml")
    )
    for dist in hooks.distributions():
        for dependency in hooks.kx_requirements(hooks.read_project(dist)):
            assert names.index(dependency) < names.index(dist.name)


def _public_names(package: Path) -> set[str]:
    names: set[str] = set()
    for path in [package / "__init__.py", *package.rglob("*.py")]:
        if any(part.startswith("_") for part in path.relative_to(package).parts[:-1]):
            continue
        if path.name.startswith("_") and path.name != "__init__.py":
            continue
        names |= set(hooks.module_all(path))
    return names


def _built(page: str) -> str:
    path = SITE / page / "index.html"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `mkdocs build` first (nox -s docs does)")
    return path.read_text()


@pytest.mark.parametrize("dist", [d.name for d in hooks.distributions()])
def test_the_reference_documents_every_public_name(dist):
    html = _built(f"reference/{dist}")
    package = hooks.import_root(ROOT / "packages" / dist)
    anchors = set(re.findall(r'id="(kx\.[\w.]+)"', html))
    documented = {a.rsplit(".", 1)[-1] for a in anchors}
    missing = sorted(_public_names(package) - documented)
    assert not missing, f"{dist}: not in the reference: {missing}"
    # examples render as code, never as Markdown block quotes of '>>>' lines
    assert "&gt;&gt;&gt;" not in "".join(
        re.findall(r"<blockquote>.*?</blockquote>", html, re.S)
    )
    assert "{args}" not in html


def test_the_start_page_lists_every_package_and_shows_the_demo_figure():
    html = _built("")
    for dist in hooks.distributions():
        assert f'href="getting-started/{dist.name}/"' in html, dist.name
    assert 'src="assets/demo.png"' in html
    assert (SITE / "assets" / "demo.png").stat().st_size > 10_000
