"""nox sessions of the kx monorepo.

    nox                                              # the CI run: every default session
    nox -s "tests(package='kx-ncps', backend='torch')"
    nox -t jax                                       # every session of one backend
    nox -s isolation pins lint
    nox -s demo [-- --backend torch]                 # the Burgers FNO demo
    nox -s bench [-- --backend jax]                  # benchmarks against the peers
    nox -s docs                                      # the documentation site, site/

The 15 ``tests(package, backend)`` sessions share one environment per backend
(``.nox/_env-<backend>``): it holds the backend, keras and the test tools, is built once
and rebuilt only when its requirements change, and each session installs into it the
package under test and its in-repo kx dependencies (built from ``packages/``, never
taken from an index) after removing every other kx package. Versions come from
``constraints.txt`` (torch is pinned to the CPU build the CI machines hold on disk).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent.resolve()
PACKAGES_DIR = ROOT / "packages"
CONSTRAINTS = ROOT / "constraints.txt"
sys.path.insert(0, str(ROOT / "scripts"))
import pins as kx_pins  # noqa: E402  (scripts/pins.py)

REPORTS = ROOT / ".nox" / "_reports"
PACKAGES = ("kx-ops", "kx-layers", "kx-ncps", "kx-blocks", "kx-vision")
BACKENDS = ("jax", "tensorflow", "torch")
PYTHON_VERSIONS = ("3.10", "3.13")  # the oldest and newest kx supports
BACKEND_REQUIREMENTS = {
    "jax": ["jax[cpu]"],
    "tensorflow": ["tensorflow-cpu"],
    "torch": ["torch"],
}
TEST_REQUIREMENTS = [
    "pytest>=8",
    "pytest-xdist>=3.6",
    "hypothesis>=6.100",
    "hatchling>=1.24",
    "pip",
]
# pytest runs each session on two worker processes (whole files per worker, so a
# module-scoped fixture is built once): jax compiles and tensorflow traces on one
# core each, and the CI machines have two. `-- -n 0` runs in one process.
TEST_WORKERS = ["-n", "2", "--dist", "loadfile"]
# one compute thread per worker: two workers with two threads each oversubscribe
# the two cores, and torch's tiny matmuls then slow down hundreds of times
WORKER_THREADS = {"OMP_NUM_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1"}
# jax compiles every program the tests run, and compiling is most of a jax test
# session: the test sessions compile without XLA's optimization passes (a quarter
# faster; the tests' tolerances hold) and keep compiled programs in a
# cache under .nox, so a program that another model object, worker or session
# already compiled is read back (a second model object with the same program,
# the same layer in two test files; `rm -r .nox/_jax-cache` frees its space).
# Benchmarks and the demo compile as users do.
JAX_TEST_COMPILATION = {
    "JAX_DISABLE_MOST_OPTIMIZATIONS": "1",
    "JAX_COMPILATION_CACHE_DIR": str(ROOT / ".nox" / "_jax-cache"),
    "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
    "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
}
EXTRA_REQUIREMENTS = ["matplotlib", "networkx", "scipy"]

nox.options.error_on_missing_interpreters = True
nox.options.sessions = [
    "lint",
    "pins",
    "docs",
    *(f"tests(package='{p}', backend='{b}')" for b in BACKENDS for p in PACKAGES),
    *(f"integration(backend='{b}')" for b in BACKENDS),
    "isolation",
]


def kx_dependencies(package: str) -> list[str]:
    """The in-repo kx packages ``package`` needs: dependencies first, itself last."""
    return kx_pins.kx_closure(ROOT, package)


def _python(env: Path) -> str:
    return str(env / "bin" / "python")


def backend_env(
    session: nox.Session, backend: str, name: str = "", extra=(), unpin=()
) -> Path:
    """Create (once) and return the shared virtual environment of a backend.

    ``name`` makes a separate environment with the ``extra`` requirements (peers
    for the benchmarks, an older keras); ``unpin`` drops those names from the
    constraints.
    """
    constraints = "".join(
        line + "\n"
        for line in CONSTRAINTS.read_text().splitlines()
        if line.split("==")[0].strip() not in unpin
    )
    requirements = [
        *BACKEND_REQUIREMENTS[backend],
        *([] if any(r.startswith("keras==") for r in extra) else ["keras"]),
        "numpy",
        *TEST_REQUIREMENTS,
        *EXTRA_REQUIREMENTS,
        *extra,
    ]
    env = ROOT / ".nox" / f"_env-{backend}{'-' + name if name else ''}"
    stamp_text = json.dumps([requirements, constraints, sys.version])
    stamp = hashlib.sha256(stamp_text.encode()).hexdigest()
    stamp_file = env / ".kx-stamp"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return env
    if env.exists():
        shutil.rmtree(env)
    session.run(sys.executable, "-m", "venv", str(env), external=True)
    (env / "constraints.txt").write_text(constraints)
    # --no-compile: byte-compiling every file of the backend is most of pip's time;
    # Python compiles what the sessions import, once, into the venv
    session.run(
        _python(env), "-m", "pip", "install", "--quiet", "--no-compile",
        "-c", str(env / "constraints.txt"), *requirements, external=True,
    )  # fmt: skip
    stamp_file.write_text(stamp)
    return env


def install_kx(session: nox.Session, env: Path, packages: list[str]) -> None:
    """Install exactly ``packages`` (built from packages/) into env, no other kx."""
    wanted = set(packages)
    others = [p for p in PACKAGES if p not in wanted]
    if others:
        session.run(
            _python(env), "-m", "pip", "uninstall", "--quiet", "--yes", *others,
            external=True,
        )  # fmt: skip
    session.run(
        _python(env), "-m", "pip", "install", "--quiet", "--no-build-isolation",
        "--no-deps", "--force-reinstall", "-c", str(CONSTRAINTS),
        *(str(PACKAGES_DIR / p) for p in packages), external=True,
    )  # fmt: skip
    session.run(_python(env), "-m", "pip", "check", external=True)


def backend_vars(backend: str) -> dict[str, str]:
    return {
        "KERAS_BACKEND": backend,
        "JAX_ENABLE_X64": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": "",
    }


def pytest(session: nox.Session, env: Path, backend: str, report: str, *paths):
    REPORTS.mkdir(parents=True, exist_ok=True)
    session.run(
        _python(env), "-m", "pytest", *TEST_WORKERS, *paths,
        f"--junitxml={REPORTS / report}.xml", *session.posargs,
        env={
            **backend_vars(backend),
            **WORKER_THREADS,
            **(JAX_TEST_COMPILATION if backend == "jax" else {}),
        },
        external=True,
    )  # fmt: skip


def _params(values):
    return [nox.param(v, tags=[v]) for v in values]


@nox.session(venv_backend="none", tags=["tests"])
@nox.parametrize("backend", _params(BACKENDS))
@nox.parametrize("package", _params(PACKAGES))
def tests(session: nox.Session, package: str, backend: str) -> None:
    """A package's tests on one backend, with only its kx dependencies installed."""
    env = backend_env(session, backend)
    install_kx(session, env, kx_dependencies(package))
    pytest(
        session, env, backend, f"tests-{package}-{backend}",
        str(PACKAGES_DIR / package / "tests"), installed_package(session, env, package),
        "--doctest-modules", "-o", "consider_namespace_packages=true",
        # kx.ops's modules of the other backends import them: not collected
        *(f"--ignore-glob=*/kx/ops/_backend/{b}.py" for b in BACKENDS if b != backend),
    )  # fmt: skip


def installed_package(session: nox.Session, env: Path, package: str) -> str:
    """The directory of ``package``'s import package as installed in ``env``: the
    tests sessions run its docstring examples (``--doctest-modules``) from there,
    the copy the tests import, not the source tree."""
    name = "kx." + package.removeprefix("kx-")
    code = (  # find_spec imports the kx namespace only, not keras
        "import importlib.util;"
        f"print(importlib.util.find_spec({name!r}).submodule_search_locations[0])"
    )
    out = session.run(_python(env), "-c", code, silent=True, external=True)
    return str(out).strip().splitlines()[-1]


def _interpreter(version: str) -> str | None:
    """A working ``python<version>``: on PATH, or under pyenv's versions."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path.home() / ".pyenv" / "versions"
    candidates += sorted(str(p) for p in pyenv_root.glob(f"{version}.*/bin/python"))
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.strip() == str(
            tuple(int(v) for v in version.split("."))
        ):
            return candidate
    return None


# not in the default run, for CI time (each builds a torch venv: 3 to 5 minutes)
@nox.session(venv_backend="none", default=False)
@nox.parametrize("python_version", _params(PYTHON_VERSIONS))
def versions(session: nox.Session, python_version: str) -> None:
    """kx-ops's tests on torch under the oldest and newest Python kx supports.

    The 15 ``tests`` sessions run on the default interpreter (3.11); this one
    finds ``python3.10``/``python3.13`` (on PATH or under pyenv), builds its own
    venv (``.nox/_env-py<version>``, torch pinned like everywhere) and installs
    tomli where the standard library lacks tomllib.
    """
    interpreter = _interpreter(python_version)
    if interpreter is None:
        session.error(f"no working python{python_version} on PATH or under pyenv")
    tag = python_version.replace(".", "")
    env = ROOT / ".nox" / f"_env-py{tag}"
    requirements = ["torch", "keras", "numpy", *TEST_REQUIREMENTS]
    constraints = CONSTRAINTS.read_text()
    if python_version == "3.10":
        # keras 3.14+ needs Python 3.11: 3.10 gets the newest keras it can run
        # (kx supports keras >= 3.11), and tomli for the scripts' tomllib
        requirements = ["keras>=3.11", "tomli", *requirements[:1], *requirements[2:]]
        constraints = "".join(
            line + "\n"
            for line in constraints.splitlines()
            if line.split("==")[0].strip() != "keras"
        )
    stamp = hashlib.sha256(
        json.dumps([requirements, constraints, interpreter]).encode()
    ).hexdigest()
    if not (env / ".kx-stamp").exists() or (env / ".kx-stamp").read_text() != stamp:
        if env.exists():
            shutil.rmtree(env)
        session.run(interpreter, "-m", "venv", str(env), external=True)
        (env / "constraints.txt").write_text(constraints)
        session.run(
            _python(env), "-m", "pip", "install", "--quiet",
            "-c", str(env / "constraints.txt"), *requirements, external=True,
        )  # fmt: skip
        (env / ".kx-stamp").write_text(stamp)
    install_kx(session, env, ["kx-ops"])
    pytest(
        session, env, "torch", f"versions-py{tag}-kx-ops-torch",
        str(PACKAGES_DIR / "kx-ops" / "tests"),
    )  # fmt: skip


def every_package_env(
    session: nox.Session, backend: str, name: str = "", extra=()
) -> Path:
    """A backend's environment (``backend_env``) with all five kx packages installed."""
    env = backend_env(session, backend, name=name, extra=extra)
    install_kx(session, env, list(PACKAGES))
    return env


# tests-integration/ files that on jax run in the robustness session only
JAX_ONLY_IN_ROBUSTNESS = ("test_properties.py", "test_determinism.py")


@nox.session(venv_backend="none")
@nox.parametrize("backend", _params(BACKENDS))
def integration(session: nox.Session, backend: str) -> None:
    """Tests across packages (tests-integration/) with every kx package installed."""
    env = every_package_env(session, backend)
    # on jax these two compile a program per class and family (4 minutes of this
    # session on the CI machine): the robustness session runs them there
    skip = JAX_ONLY_IN_ROBUSTNESS if backend == "jax" else ()
    pytest(
        session, env, backend, f"integration-{backend}",
        str(ROOT / "tests-integration"),
        *(f"--ignore={ROOT / 'tests-integration' / f}" for f in skip),
    )  # fmt: skip


@nox.session(venv_backend="none", default=False)
@nox.parametrize("backend", _params(BACKENDS))
def robustness(session: nox.Session, backend: str) -> None:
    """The property-based constructor test and the determinism test of
    tests-integration/ on one backend (the integration sessions run them on
    tensorflow and torch; on jax only this session does, for CI time)."""
    env = every_package_env(session, backend)
    pytest(
        session, env, backend, f"robustness-{backend}",
        *(str(ROOT / "tests-integration" / f) for f in JAX_ONLY_IN_ROBUSTNESS),
    )  # fmt: skip


@nox.session
def isolation(session: nox.Session) -> None:
    """Each wheel alone in a clean venv with jax: imports, works, pins are enforced."""
    session.install("build", "hatchling", "packaging")
    session.run(
        "python", str(ROOT / "scripts" / "isolation.py"),
        "--constraints", str(CONSTRAINTS), *session.posargs,
    )  # fmt: skip


@nox.session
def pins(session: nox.Session) -> None:
    """Every in-repo pin on a sibling admits that sibling's current version."""
    session.install("packaging", "pytest")
    session.run("python", str(ROOT / "scripts" / "pins.py"), "check")
    session.run("python", "-m", "pytest", str(ROOT / "scripts" / "test_pins.py"))


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole tree; mypy over the
    packages' sources (configured in pyproject.toml; numpy for its types)."""
    session.install("ruff==0.17.6", "mypy==1.20.2", "numpy")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", *(str(PACKAGES_DIR / p / "src" / "kx") for p in PACKAGES))


# the docs toolchain (griffe reads the sources: no backend, no kx install); ruff
# formats the signatures
DOCS_REQUIREMENTS = [
    "mkdocs==1.6.1", "mkdocs-material==9.8.2", "mkdocstrings==1.0.8",
    "mkdocstrings-python==2.0.11", "griffelib==2.4.1", "mkdocs-autorefs==1.4.5",
    "pymdown-extensions==13.1.2", "ruff==0.17.6", "pytest>=8",
]  # fmt: skip


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site: ``mkdocs build --strict`` into ``site/`` (a warning, a
    broken cross-reference, a missing page or a malformed docstring section fails
    it), then the docs tools' own tests (docs/test_docs.py), which also read the
    built pages."""
    session.install(*DOCS_REQUIREMENTS)
    quiet = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    session.run("mkdocs", "build", "--strict", *session.posargs, env=quiet)
    session.run(
        "python", "-m", "pytest", str(ROOT / "docs" / "test_docs.py"), "-q",
        "-p", "no:cacheprovider", env=quiet,
    )  # fmt: skip


def _backend_arg(session: nox.Session, default: str = "jax") -> tuple[str, list[str]]:
    args = list(session.posargs)
    backend = default
    if "--backend" in args:
        i = args.index("--backend")
        backend = args[i + 1]
        del args[i : i + 2]
    if backend not in BACKENDS and not (backend == "" == default):
        session.error(f"--backend must be one of {BACKENDS}, got {backend!r}")
    return backend, args


@nox.session(venv_backend="none", default=False)
def demo(session: nox.Session) -> None:
    """The main job: learn the Burgers solution operator with a kx NeuralOperator1D
    (examples/)."""
    backend, args = _backend_arg(session)
    script = ROOT / "examples" / "burgers_fno.py"
    env = backend_env(session, backend)
    install_kx(session, env, kx_dependencies("kx-blocks"))
    session.run(
        _python(env), str(script), "--backend", backend, *args,
        env=backend_vars(backend), external=True,
    )  # fmt: skip


@nox.session(venv_backend="none", default=False)
def digits(session: nox.Session) -> None:
    """A kx.vision ViT2D on scikit-learn's digits (examples/vit_digits.py): at least
    90% test accuracy within a minute of CPU training. scikit-learn (which ships the
    data) lives only in this session's venv, never in the test environments."""
    backend, args = _backend_arg(session, default="torch")
    env = backend_env(session, backend, name="examples", extra=["scikit-learn"])
    install_kx(session, env, kx_dependencies("kx-vision"))
    session.run(
        _python(env), str(ROOT / "examples" / "vit_digits.py"), "--backend", backend,
        *args, env=backend_vars(backend), external=True,
    )  # fmt: skip


# the peer of benchmarks/bench_blocks.py (keras_hub.layers.TransformerEncoder), for
# keras 3.15; installed without its dependencies, plus the pure-Python ones it imports
KERAS_HUB = "keras-hub==0.32.0"
KERAS_HUB_DEPENDENCIES = [
    "absl-py", "packaging", "rich", "regex", "tokenizers", "tqdm",
    "kagglehub!=1.0.1", "kagglesdk==0.1.28",
]  # fmt: skip


@nox.session(venv_backend="none", default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks (benchmarks/bench_*.py) side by side with the peer packages.

    ``nox -s bench -- --backend torch`` runs one backend; ``-- --only ops`` one file.
    The peers (kerex, ncps, neuraloperator, k3im) live in their own per-backend venv.
    """
    backend, args = _backend_arg(session, default="")
    only = None
    if "--only" in args:
        i = args.index("--only")
        only = args[i + 1]
        del args[i : i + 2]
    backends = [backend] if backend else list(BACKENDS)
    files = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    if only:
        files = [f for f in files if f.stem == f"bench_{only}"]
    if not files:
        session.error("no benchmark matched")
    peers = {
        "jax": ["kerex==1.1.8", "ncps==1.0.1", "k3im==0.1.1"],
        "tensorflow": ["kerex==1.1.8", "ncps==1.0.1", "k3im==0.1.1"],
        "torch": ["neuraloperator==2.0.0", "ncps==1.0.1", "k3im==0.1.1"],
    }
    for b in backends:
        env = backend_env(session, b, name="bench", extra=peers[b])
        # keras-hub (the bench_blocks peer) requires tensorflow-text and
        # sentencepiece, which its layers do not use: it goes in without them, after
        # install_kx's `pip check`, and out again before the next one
        session.run(
            _python(env), "-m", "pip", "uninstall", "--quiet", "--yes", "keras-hub",
            external=True,
        )  # fmt: skip
        install_kx(session, env, list(PACKAGES))
        session.run(
            _python(env), "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS),
            *KERAS_HUB_DEPENDENCIES, external=True,
        )  # fmt: skip
        session.run(
            _python(env), "-m", "pip", "install", "--quiet", "--no-deps",
            KERAS_HUB, external=True,
        )  # fmt: skip
        for f in files:
            session.run(_python(env), str(f), *args, env=backend_vars(b), external=True)


# extra requirements of the export session's venvs, per backend (ONNX, LiteRT)
EXPORT_REQUIREMENTS: dict[str, list[str]] = {
    # jax2tf writes the SavedModel (tensorflow-cpu, pinned by constraints.txt);
    # jax2onnx the ONNX file; keras has no LiteRT export on jax
    "jax": [
        "tensorflow-cpu", "jax2onnx==0.17.1", "onnx==1.23.2", "onnxruntime==1.32.0",
    ],
    # tf2onnx for ONNX; tf.lite's converter for LiteRT, ai-edge-litert's interpreter
    "tensorflow": [
        "tf2onnx==1.17.0", "onnx==1.23.2", "onnxruntime==1.32.0",
        "ai-edge-litert==2.3.0",
    ],
    # torch.onnx's dynamo exporter (onnxscript); litert-torch for LiteRT. The
    # SavedModel needs torch-xla, which has no release for torch 2.13 (the test says so)
    "torch": [
        "onnx==1.23.2", "onnxscript==0.7.2", "onnxruntime==1.32.0",
        "litert-torch==0.10.0",
    ],
}  # fmt: skip


@nox.session(venv_backend="none", default=False)
@nox.parametrize("backend", _params(BACKENDS))
def distributed(session: nox.Session, backend: str) -> None:
    """Training on each backend's own distribution engine (tests-distributed/): jax's
    keras.distribution on virtual CPU devices, tf.distribute.MirroredStrategy on
    logical CPU devices, torch DistributedDataParallel over gloo processes."""
    env = every_package_env(session, backend)
    pytest(
        session, env, backend, f"distributed-{backend}",
        str(ROOT / "tests-distributed"), "-n", "0",
    )  # fmt: skip


@nox.session(venv_backend="none", default=False)
@nox.parametrize("backend", _params(BACKENDS))
def export(session: nox.Session, backend: str) -> None:
    """model.export to SavedModel, ONNX and LiteRT, reloaded and compared
    (tests-export/); the exporters live in their own venv per backend."""
    env = every_package_env(
        session, backend, name="export", extra=EXPORT_REQUIREMENTS[backend]
    )
    pytest(session, env, backend, f"export-{backend}", str(ROOT / "tests-export"))


@nox.session(venv_backend="none", default=False)
@nox.parametrize("backend", _params(BACKENDS))
def large(session: nox.Session, backend: str) -> None:
    """Large inputs forward and backward, with their peak memory (tests-large/): an
    FNO2D at 512x512, a CfC over 10,000 steps; one test at a time."""
    env = every_package_env(session, backend)
    pytest(
        session, env, backend, f"large-{backend}", str(ROOT / "tests-large"),
        "-n", "0", "-s",
    )  # fmt: skip


@nox.session(venv_backend="none", default=False)
def minimum(session: nox.Session) -> None:
    """kx-ops, kx-layers and kx-ncps against the lowest keras they declare (3.11)."""
    env = backend_env(
        session, "jax", name="keras-min", extra=["keras==3.11.0"], unpin=["keras"]
    )
    install_kx(session, env, ["kx-ops", "kx-layers", "kx-ncps"])
    for package in ("kx-ops", "kx-layers", "kx-ncps"):
        pytest(
            session,
            env,
            "jax",
            f"minimum-{package}",
            str(PACKAGES_DIR / package / "tests"),
        )


@nox.session(venv_backend="none", default=False)
def parity(session: nox.Session) -> None:
    """kx.ncps side by side with ncps.keras 1.0.1 (tests-parity/), every backend.

    ``nox -s parity -- --backend torch`` runs one backend. ncps lives only in the
    parity venvs; what differs on purpose is listed in kx-ncps's README.
    """
    backend, args = _backend_arg(session, default="")
    for b in [backend] if backend else list(BACKENDS):
        env = backend_env(session, b, name="parity", extra=["ncps==1.0.1"])
        install_kx(session, env, ["kx-ops", "kx-ncps"])
        session.run(
            _python(env), "-m", "pytest", str(ROOT / "tests-parity"), "-rs", *args,
            env=backend_vars(b), external=True,
        )  # fmt: skip
