"""Check and bump the versions and the pins between the kx packages.

    python scripts/pins.py check              # each kx pin admits the sibling's version
    python scripts/pins.py bump kx-ops 0.2.0  # new version, and every pin on it follows

A package's version lives in one place, ``src/kx/<name>/__init__.py``
(``__version__ = "X.Y.Z"``); hatchling reads it from there. Pins between kx packages
are ranges of one minor series, ``kx-ops>=0.2,<0.3`` (``>=0.2.1,<0.3`` after a patch
release is not needed: a patch stays compatible). ``--root`` points at another copy of
the repository (the tests use a temporary one).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

VERSION_RE = re.compile(r'^__version__ = "([^"]+)"$', re.M)


def packages(root: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted((root / "packages").iterdir()) if p.is_dir()}


def init_file(package_dir: Path) -> Path:
    (init,) = package_dir.glob("src/kx/*/__init__.py")
    return init


def version(package_dir: Path) -> str:
    match = VERSION_RE.search(init_file(package_dir).read_text())
    if not match:
        raise SystemExit(f"no __version__ in {init_file(package_dir)}")
    return match.group(1)


def kx_requirements(package_dir: Path) -> list[Requirement]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    meta = tomllib.loads((package_dir / "pyproject.toml").read_text())
    return [
        Requirement(r)
        for r in meta["project"]["dependencies"]
        if r.strip().startswith("kx-")
    ]


def kx_closure(root: Path, package: str) -> list[str]:
    """The in-repo kx packages ``package`` needs: dependencies first, itself last."""
    pkgs = packages(root)
    order: list[str] = []

    def visit(name: str) -> None:
        for req in kx_requirements(pkgs[name]):
            if req.name not in order:
                visit(req.name)
        if name not in order:
            order.append(name)

    visit(package)
    return order


def check(root: Path) -> list[str]:
    """Return the problems: pins that exclude the sibling, or that are not ranges."""
    pkgs = packages(root)
    versions = {name: Version(version(path)) for name, path in pkgs.items()}
    problems = []
    for name, path in pkgs.items():
        for req in kx_requirements(path):
            if req.name not in pkgs:
                problems.append(f"{name} requires {req.name}, not in packages/")
                continue
            ops = {spec.operator for spec in req.specifier}
            if not ({">=", "<"} <= ops):
                problems.append(
                    f"{name} pins {req} : a kx pin must be a range like "
                    f"'{req.name}>=0.1,<0.2'"
                )
            if versions[req.name] not in req.specifier:
                problems.append(
                    f"{name} pins {req}, which excludes the in-repo "
                    f"{req.name} {versions[req.name]}"
                )
    return problems


def pin_range(new: Version) -> str:
    return f">={new.major}.{new.minor},<{new.major}.{new.minor + 1}"


def bump(root: Path, package: str, new_version: str) -> None:
    pkgs = packages(root)
    if package not in pkgs:
        raise SystemExit(f"unknown package {package!r}; one of {sorted(pkgs)}")
    new = Version(new_version)
    init = init_file(pkgs[package])
    init.write_text(VERSION_RE.sub(f'__version__ = "{new}"', init.read_text(), count=1))
    pattern = re.compile(rf'"{re.escape(package)}(\[[^\]]*\])?\s*[<>=!~][^"]*"')
    for path in pkgs.values():
        pyproject = path / "pyproject.toml"
        text = pyproject.read_text()
        updated = pattern.sub(
            lambda m: f'"{package}{m.group(1) or ""}{pin_range(new)}"', text
        )
        if updated != text:
            pyproject.write_text(updated)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).parents[1])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check")
    b = sub.add_parser("bump")
    b.add_argument("package")
    b.add_argument("version")
    args = parser.parse_args(argv)
    if args.command == "bump":
        bump(args.root, args.package, args.version)
    problems = check(args.root)
    for problem in problems:
        print(f"pins: {problem}", file=sys.stderr)
    if not problems:
        versions = {n: version(p) for n, p in packages(args.root).items()}
        print("pins: every kx pin admits its sibling:", versions)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
