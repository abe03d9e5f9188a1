"""mkdocs hooks: the pages generated from the repository, never copied by hand.

For each distribution under ``packages/`` (in pin order):

- ``getting-started/<dist>.md``: its install matrix (from the extras in its
  ``pyproject.toml``), its kx dependencies, and its README;
- ``reference/<dist>.md``: the API reference, one ``:::`` directive for the import
  package and one for each public submodule with names the package does not
  re-export (found from the ``__all__`` lists in the sources, read without
  importing them).

And ``benchmarks/index.md`` from ``BENCHMARKS.md``, one page per results file
under ``benchmarks/results/``, and the demo figure. Links that point out of the
site (a test file, a script) become links to the source repository. A package added
under ``packages/`` gets its pages, its nav entries and its row of the home page's
table without an edit here or in ``mkdocs.yml``.
"""

from __future__ import annotations

import ast
import posixpath
import re
from pathlib import Path
from typing import Any

import tomllib
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "packages"
RESULTS = ROOT / "benchmarks" / "results"
DEMO_FIGURE = RESULTS / "demo.png"
SOURCE = "https://github.com/kx-keras/kx/blob/main/"
LINK = re.compile(r"(!?\[[^\]]*\])\(([^)\s]+)\)")


# -- the packages -----------------------------------------------------------------
def read_project(dist: Path) -> dict[str, Any]:
    return tomllib.loads((dist / "pyproject.toml").read_text())["project"]


def kx_pins(project: dict[str, Any]) -> list[str]:
    """The requirements on in-repo kx packages, as written (``kx-ops>=0.1,<0.2``)."""
    return [
        r
        for r in project["dependencies"]
        if (PACKAGES / re.split(r"[<>=!~ \[]", r, maxsplit=1)[0]).is_dir()
    ]


def kx_requirements(project: dict[str, Any]) -> list[str]:
    """The names of the in-repo kx packages the project requires."""
    return [re.split(r"[<>=!~ \[]", r, maxsplit=1)[0] for r in kx_pins(project)]


def distributions() -> list[Path]:
    """The distributions under packages/, each after the kx packages it pins."""
    found = {p.parent.name: p.parent for p in sorted(PACKAGES.glob("*/pyproject.toml"))}
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name not in ordered:
            for dependency in kx_requirements(read_project(found[name])):
                visit(dependency)
            ordered.append(name)

    for name in found:
        visit(name)
    return [found[name] for name in ordered]


def import_root(dist: Path) -> Path:
    (package,) = [p for p in (dist / "src" / "kx").iterdir() if p.is_dir()]
    return package


def module_all(path: Path) -> list[str]:
    """The names in a module's ``__all__``, read from its source."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    return []


def _module_file(path: Path) -> Path:
    return path / "__init__.py" if path.is_dir() else path


def _dotted(path: Path) -> str:
    """``.../src/kx/vision/layers`` -> ``kx.vision.layers``."""
    parts = list(path.parts)
    start = max(i for i, part in enumerate(parts) if part == "src") + 1
    dotted = parts[start:]
    dotted[-1] = dotted[-1].removesuffix(".py")
    return ".".join(dotted)


def public_submodules(package: Path) -> list[Path]:
    children = sorted(
        p
        for p in package.iterdir()
        if not p.name.startswith("_")
        and ((p.suffix == ".py") or (p / "__init__.py").is_file())
    )
    return children


def reference_sections(package: Path, covered: set[str]) -> list[tuple[str, list[str]]]:
    """``(module, members)`` pairs: the package, then each public submodule with names
    not yet documented (recursively)."""
    names = [n for n in module_all(_module_file(package)) if n not in covered]
    # a package is documented even when its names are all re-exported above it (its
    # docstring says what it holds; a cross-reference may point at it)
    sections = [(_dotted(package), names)]
    covered = covered | set(names)
    # a name that is also a submodule's (kx.ops.fft the function, kx.ops.fft the
    # module): griffe sees the module, so the function is documented from there
    for child in public_submodules(package):
        name = child.name.removesuffix(".py")
        if name in names and name in module_all(_module_file(child)):
            sections.append((_dotted(child), [name]))
    for child in public_submodules(package):
        if child.is_dir():
            sections += reference_sections(child, covered)
            covered |= {n for _, members in sections for n in members}
            continue
        new = [n for n in module_all(child) if n not in covered]
        if new:
            sections.append((_dotted(child), new))
            covered |= set(new)
    return sections


def reference_page(dist: Path) -> str:
    project = read_project(dist)
    package = import_root(dist)
    lines = [
        f"# {_dotted(package)}",
        "",
        f"{project['description']} Install: `pip install {project['name']}` "
        f"([getting started](../getting-started/{dist.name}.md)).",
        "",
    ]
    for module, members in reference_sections(package, set()):
        lines += [
            f"::: {module}",
            "    options:",
            "      show_submodules: false",
            f"      members: [{', '.join(members)}]"
            if members
            else "      members: false",
            "",
        ]
    return "\n".join(lines)


def install_table(dist: Path) -> str:
    project = read_project(dist)
    extras = project.get("optional-dependencies", {})
    rows = [
        "| backend | command | the extra installs |",
        "| --- | --- | --- |",
    ]
    for extra, requirements in extras.items():
        rows.append(
            f'| {extra} | `pip install "{project["name"]}[{extra}]"` | '
            f"{', '.join(f'`{r}`' for r in requirements)} |"
        )
    return "\n".join(rows)


def getting_started_page(dist: Path) -> str:
    project = read_project(dist)
    readme = (dist / "README.md").read_text().split("\n")
    body = readme[1:] if readme and readme[0].startswith("# ") else readme
    pins = kx_pins(project)
    lines = [
        f"# Getting started: {project['name']}",
        "",
        f"{project['description']} Import: `{_dotted(import_root(dist))}`. "
        f"Reference: [{_dotted(import_root(dist))}](../reference/{dist.name}.md).",
        "",
        "## Install",
        "",
        f"`{project['name']}` needs Python {project['requires-python']} and "
        f"{', '.join(f'`{r}`' for r in project['dependencies'])}. No backend is a "
        "hard dependency: pick one with an extra.",
        "",
        install_table(dist),
        "",
    ]
    if pins:
        lines += [
            "It pins its kx dependencies to a minor series ("
            + ", ".join(f"`{p}`" for p in pins)
            + "); see [the family](../layout.md) for pinning them yourself.",
            "",
        ]
    src = dist.relative_to(ROOT) / "README.md"
    body = _demote_headings(body)
    return "\n".join(lines + ["## The package's README", ""]) + rewrite_links(
        "\n".join(body), src, f"getting-started/{dist.name}.md"
    )


def _demote_headings(lines: list[str]) -> list[str]:
    """One level down (the README sits under a heading of its own), code kept."""
    out, fenced = [], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if not fenced and re.match(r"#+ ", line) else line)
    return out


# -- links out of the repository's Markdown ---------------------------------------
def site_page(repo_path: str) -> str | None:
    """The site page that stands for a repository file, if there is one."""
    path, _, anchor = repo_path.partition("#")
    suffix = f"#{anchor}" if anchor else ""
    if path == "BENCHMARKS.md":
        return "benchmarks/index.md" + suffix
    if path.startswith("benchmarks/results/") and path.endswith(".md"):
        return "benchmarks/" + posixpath.basename(path) + suffix
    match = re.fullmatch(r"packages/([^/]+)(?:/README\.md)?/?", path)
    if match and (PACKAGES / match.group(1) / "pyproject.toml").is_file():
        return f"getting-started/{match.group(1)}.md" + suffix
    if path in ("README.md", ""):
        return "index.md" + suffix if path else None
    return None


def rewrite_links(text: str, src: Path, page: str) -> str:
    """Relative links of ``src`` (a repository file shown as ``page``) made to work on
    the site: to the page that stands for the target, or to the source repository."""

    def fix(match: re.Match[str]) -> str:
        label, target = match.groups()
        if re.match(r"^[a-z]+:|^#", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        repo_path = posixpath.normpath(posixpath.join(src.parent.as_posix(), path))
        here = posixpath.dirname(page) or "."
        if repo_path == DEMO_FIGURE.relative_to(ROOT).as_posix():
            return f"{label}({posixpath.relpath('assets/demo.png', here)})"
        page_target = site_page(repo_path + (f"#{anchor}" if anchor else ""))
        if page_target is not None:
            return f"{label}({posixpath.relpath(page_target, here)})"
        return f"{label}({SOURCE}{repo_path}{f'#{anchor}' if anchor else ''})"

    return LINK.sub(fix, text)


# -- mkdocs events ------------------------------------------------------------------
def on_config(config: Any, **kwargs: Any) -> Any:
    dists = distributions()
    results = sorted(RESULTS.glob("*.md"))
    nav = list(config["nav"])
    nav.insert(
        1,
        {"Getting started": [{d.name: f"getting-started/{d.name}.md"} for d in dists]},
    )
    nav.append(
        {
            "API reference": [
                {_dotted(import_root(d)): f"reference/{d.name}.md"} for d in dists
            ]
        }
    )
    nav.append(
        {
            "Benchmarks": [{"Summary": "benchmarks/index.md"}]
            + [{_title(p): f"benchmarks/{p.name}"} for p in results]
        }
    )
    config["nav"] = nav
    return config


def _title(path: Path) -> str:
    """A results file's nav title: its heading up to " vs " or a colon."""
    first = path.read_text().split("\n", 1)[0]
    if not first.startswith("# "):
        return path.stem
    return re.split(r" vs |:", first[2:], maxsplit=1)[0].strip()


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    def add(uri: str, content: str) -> None:
        files.append(File.generated(config, uri, content=content))

    for dist in distributions():
        add(f"getting-started/{dist.name}.md", getting_started_page(dist))
        add(f"reference/{dist.name}.md", reference_page(dist))
    add(
        "benchmarks/index.md",
        rewrite_links(
            (ROOT / "BENCHMARKS.md").read_text(),
            Path("BENCHMARKS.md"),
            "benchmarks/index.md",
        ),
    )
    for path in sorted(RESULTS.glob("*.md")):
        src = path.relative_to(ROOT)
        add(
            f"benchmarks/{path.name}",
            rewrite_links(path.read_text(), src, f"benchmarks/{path.name}"),
        )
    if DEMO_FIGURE.is_file():
        files.append(
            File.generated(config, "assets/demo.png", abs_src_path=str(DEMO_FIGURE))
        )
    return files


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """The home page's package table, one row per distribution."""
    if "<!-- kx:packages -->" not in markdown:
        return markdown
    rows = ["| distribution | import | holds | pins |", "| --- | --- | --- | --- |"]
    for dist in distributions():
        project = read_project(dist)
        pins = ", ".join(f"`{r}`" for r in kx_pins(project)) or "—"
        rows.append(
            f"| [{project['name']}](getting-started/{dist.name}.md) | "
            f"[`{_dotted(import_root(dist))}`](reference/{dist.name}.md) | "
            f"{project['description']} | {pins} |"
        )
    return markdown.replace("<!-- kx:packages -->", "\n".join(rows))
