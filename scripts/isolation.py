"""Build every kx wheel; install each alone, with its kx dependencies, in a clean venv.

For each package this proves that the wheel holds only ``kx/<name>/`` plus metadata
(ranges on its kx requirements, the backend extras, python_requires, license, readme),
that it installs with the ``[jax]`` extra from the built wheels alone (never an index
for kx), imports and works, that the kx packages it does not depend on are absent, and
that the namespace ``kx`` has no ``__init__.py``. Finally it bumps kx-ops to the next
minor version in a scratch copy and checks that pip refuses to install the bumped
kx-ops next to a kx-layers pinned to the current series.

Run through ``nox -s isolation`` (inside a venv with build, hatchling and packaging).
"""

from __future__ import annotations

import argparse
import email.parser
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import pins  # noqa: E402

SMOKE = ROOT / "tests-integration" / "smoke"


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], check=True, **kwargs)


def build_wheels(packages_dir: Path, out: Path) -> dict[str, Path]:
    wheels = {}
    for name in pins.packages(packages_dir.parent):
        run(
            sys.executable, "-m", "build", "--wheel", "--no-isolation",
            "--outdir", out, packages_dir / name, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        (wheel,) = out.glob(f"{name.replace('-', '_')}-*.whl")
        wheels[name] = wheel
    return wheels


def check_wheel(name: str, wheel: Path) -> None:
    short = name.removeprefix("kx-")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode())
    stray = [
        n for n in names if not (n.startswith(f"kx/{short}/") or ".dist-info/" in n)
    ]
    assert not stray, f"{wheel.name} holds files outside kx/{short}/: {stray}"
    assert "kx/__init__.py" not in names, f"{wheel.name} ships kx/__init__.py"
    assert f"kx/{short}/py.typed" in names, f"{wheel.name} lacks py.typed"
    requires = meta.get_all("Requires-Dist") or []
    for req in requires:
        if req.startswith("kx-"):
            assert ">=" in req and "<" in req, f"{name}: kx pin {req!r} is no range"
    extras = set(meta.get_all("Provides-Extra") or [])
    assert {"jax", "tensorflow", "torch"} <= extras, f"{name}: extras {extras}"
    assert meta["Requires-Python"], f"{name}: no Requires-Python"
    assert meta["License-Expression"] or meta["License"], f"{name}: no license"
    assert meta["Description-Content-Type"] == "text/markdown", f"{name}: no readme"
    assert any(r.startswith("keras") for r in requires), f"{name}: no keras"
    print(f"isolation: {wheel.name}: {len(names)} files, metadata complete")


def check_install(
    name: str, wheels: dict[str, Path], packages_dir: Path, constraints: Path, tmp: Path
) -> Path:
    env = tmp / f"venv-{name}"
    run(sys.executable, "-m", "venv", env)
    python = env / "bin" / "python"
    needed = pins.kx_closure(packages_dir.parent, name)
    targets = [f"{wheels[n]}[jax]" if n == name else str(wheels[n]) for n in needed]
    # --no-compile: pip byte-compiles every file of jax and keras otherwise (two
    # thirds of the install's time); the probes compile what they import
    run(
        python, "-m", "pip", "install", "--quiet", "--no-compile", "-c", constraints,
        *targets,
    )  # fmt: skip
    absent = [n for n in wheels if n not in needed]
    probe = f"""
import importlib.metadata, importlib.util, kx
assert getattr(kx, "__file__", None) is None, "kx is not a namespace package"
import kx.{name.removeprefix("kx-")} as pkg
assert pkg.__version__ == importlib.metadata.version("{name}")
for other in {[n.removeprefix("kx-") for n in absent]!r}:
    assert importlib.util.find_spec("kx." + other) is None, "kx." + other + " present"
print("isolation: {name} imports; absent as expected:", {absent!r})
"""
    env_vars = {"KERAS_BACKEND": "jax", "PATH": str(env / "bin")}
    run(python, "-c", probe, env=env_vars, cwd=tmp)
    smoke = SMOKE / f"{name}.py"
    if smoke.exists():
        run(python, smoke, env=env_vars, cwd=tmp)
    return python


def check_pin_is_enforced(
    wheels: dict[str, Path], packages_dir: Path, python: Path, tmp: Path
) -> None:
    scratch = tmp / "bumped"
    shutil.copytree(packages_dir, scratch / "packages")
    current = pins.Version(pins.version(scratch / "packages" / "kx-ops"))
    bumped = f"{current.major}.{current.minor + 1}.0"
    pins.bump(scratch, "kx-ops", bumped)
    out = tmp / "bumped-dist"
    run(
        sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out,
        scratch / "packages" / "kx-ops", stdout=subprocess.DEVNULL,
    )  # fmt: skip
    (new_ops,) = out.glob("kx_ops-*.whl")
    result = subprocess.run(
        [python, "-m", "pip", "install", "--dry-run", wheels["kx-layers"], new_ops],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0, (
        f"pip accepted kx-ops {bumped} next to kx-layers pinned to the "
        f"{current.major}.{current.minor} series"
    )
    assert "kx-ops" in (result.stderr + result.stdout)
    print(f"isolation: pip refuses kx-ops {bumped} with kx-layers, as pinned")
    layers_meta = tomllib.loads(
        (scratch / "packages" / "kx-layers" / "pyproject.toml").read_text()
    )
    assert any(
        d.startswith("kx-ops>=" + bumped.rsplit(".", 1)[0])
        for d in layers_meta["project"]["dependencies"]
    ), "pins.py bump did not move the kx-layers pin"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--constraints", type=Path, default=ROOT / "constraints.txt")
    args = parser.parse_args(argv)
    packages_dir = ROOT / "packages"
    with tempfile.TemporaryDirectory(prefix="kx-isolation-") as tmp_name:
        tmp = Path(tmp_name)
        wheels = build_wheels(packages_dir, tmp / "dist")
        pythons = {}
        for name, wheel in wheels.items():
            check_wheel(name, wheel)
            pythons[name] = check_install(
                name, wheels, packages_dir, args.constraints, tmp
            )
        check_pin_is_enforced(wheels, packages_dir, pythons["kx-layers"], tmp)
    print("isolation: all packages install and work alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
