"""Tests of scripts/pins.py on a scratch copy of the packages."""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import pins

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(
        ROOT / "packages",
        tmp_path / "packages",
        ignore=shutil.ignore_patterns("tests", "__pycache__", "*.egg-info"),
    )
    return tmp_path


def test_repository_pins_admit_siblings():
    assert pins.check(ROOT) == []


def test_bump_moves_version_and_every_pin(repo):
    pins.bump(repo, "kx-ops", "0.2.0")
    assert pins.version(repo / "packages" / "kx-ops") == "0.2.0"
    assert pins.check(repo) == []
    for name in ("kx-layers", "kx-blocks", "kx-vision"):
        (req,) = [
            r
            for r in pins.kx_requirements(repo / "packages" / name)
            if r.name == "kx-ops"
        ]
        assert str(req.specifier) in ("<0.3,>=0.2", ">=0.2,<0.3")
    text = (repo / "packages" / "kx-ops" / "pyproject.toml").read_text()
    assert 'name = "kx-ops"' in text


def test_check_catches_an_excluding_pin(repo):
    init = pins.init_file(repo / "packages" / "kx-ops")
    init.write_text(init.read_text().replace('"0.1.0"', '"0.2.0"'))
    problems = pins.check(repo)
    assert problems and all("excludes the in-repo kx-ops 0.2.0" in p for p in problems)


def test_check_catches_a_bare_pin(repo):
    pyproject = repo / "packages" / "kx-layers" / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('"kx-ops>=0.1,<0.2"', '"kx-ops"')
    )
    assert any("must be a range" in p for p in pins.check(repo))


def test_cli(repo, capsys):
    assert pins.main(["--root", str(repo), "check"]) == 0
    assert pins.main(["--root", str(repo), "bump", "kx-layers", "0.1.1"]) == 0
    assert pins.version(repo / "packages" / "kx-layers") == "0.1.1"


def test_kx_closure_lists_dependencies_first():
    assert pins.kx_closure(ROOT, "kx-ops") == ["kx-ops"]
    assert pins.kx_closure(ROOT, "kx-ncps") == ["kx-ops", "kx-ncps"]
    assert pins.kx_closure(ROOT, "kx-vision") == [
        "kx-ops",
        "kx-layers",
        "kx-blocks",
        "kx-vision",
    ]
