"""The Burgers FNO demo (examples/): the data generator's physics and the script.

The solver is checked against an exact Cole-Hopf solution (with its 4th-order
convergence in the time step), conservation of the mean and the decay of the
energy; the random field against its covariance; the data set against its seed and
its cache; the script through its command line.
"""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))
burgers_data = importlib.import_module("burgers_data")


def cole_hopf(x, t, nu, a=1.0, b=0.6, c=0.3):
    """An exact periodic Burgers solution, ``u = -2 nu (log phi)_x``.

    ``phi = a + b exp(-nu (2 pi)^2 t) cos(2 pi x) + c exp(-nu (4 pi)^2 t) sin(4 pi x)``
    solves the heat equation ``phi_t = nu phi_xx`` and stays positive for
    ``a > |b| + |c|``, so ``u`` solves ``u_t + u u_x = nu u_xx``.
    """
    e1 = b * np.exp(-nu * (2 * np.pi) ** 2 * t)
    e2 = c * np.exp(-nu * (4 * np.pi) ** 2 * t)
    phi = a + e1 * np.cos(2 * np.pi * x) + e2 * np.sin(4 * np.pi * x)
    phi_x = -2 * np.pi * e1 * np.sin(2 * np.pi * x) + 4 * np.pi * e2 * np.cos(
        4 * np.pi * x
    )
    return -2.0 * nu * phi_x / phi


def test_solver_matches_cole_hopf_with_fourth_order_convergence():
    nu, t = 0.05, 0.5
    x = np.arange(256) / 256
    u0, exact = cole_hopf(x, 0.0, nu), cole_hopf(x, t, nu)
    assert np.abs(exact).max() > 0.1  # the nonlinearity matters
    errors = [
        np.abs(burgers_data.solve_burgers(u0, nu, t_final=t, n_steps=n) - exact).max()
        for n in (10, 20)
    ]
    # ETDRK4: halving the step divides the error by about 2**4 = 16.
    assert errors[0] / errors[1] > 10, errors
    fine = burgers_data.solve_burgers(u0, nu, t_final=t, dt=1e-3)
    np.testing.assert_allclose(fine, exact, atol=1e-9)


def test_solver_conserves_the_mean_and_dissipates_energy():
    rng = np.random.default_rng(1)
    u0 = burgers_data.grf_initial_conditions(4, 128, rng) + np.array(
        [[0.0], [0.3], [-0.7], [1.2]]
    )
    energies = [np.mean(u0**2, axis=-1)]
    u = u0
    for _ in range(4):
        u = burgers_data.solve_burgers(u, nu=0.01, t_final=0.25, dt=5e-3)
        np.testing.assert_allclose(u.mean(axis=-1), u0.mean(axis=-1), atol=1e-12)
        energies.append(np.mean(u**2, axis=-1))
    energies = np.array(energies)
    assert np.all(np.diff(energies, axis=0) < 0), energies


def test_solver_rejects_bad_input():
    with pytest.raises(ValueError, match="even number of points"):
        burgers_data.solve_burgers(np.zeros(7), nu=0.1)
    with pytest.raises(ValueError, match="nu must be >= 0"):
        burgers_data.solve_burgers(np.zeros(8), nu=-1.0)


def test_random_field_has_the_stated_covariance():
    n = 64
    fields = burgers_data.grf_initial_conditions(4000, n, np.random.default_rng(2))
    np.testing.assert_allclose(fields.mean(axis=-1), 0.0, atol=1e-12)
    # sqrt(2) * std_k * (a cos + b sin): each Fourier coefficient c_k / n has
    # variance std_k**2 / 2 in its real and in its imaginary part.
    coeffs = np.fft.rfft(fields, axis=-1)[:, 1 : n // 3 + 1] / n
    k = np.arange(1, n // 3 + 1)
    std = 25.0 / ((2 * np.pi * k) ** 2 + 25.0)
    np.testing.assert_allclose(np.var(coeffs.real, axis=0), std**2 / 2, rtol=0.12)
    np.testing.assert_allclose(np.var(coeffs.imag, axis=0), std**2 / 2, rtol=0.12)
    assert np.abs(np.fft.rfft(fields, axis=-1)[:, n // 3 + 1 :]).max() < 1e-9


def test_generation_is_deterministic_and_cached(tmp_path):
    kwargs = {"n_samples": 3, "n_points": 64, "nu": 0.05, "dt": 0.02}
    first = burgers_data.load_or_generate(seed=5, cache_dir=tmp_path, **kwargs)
    assert not first["cached"]
    assert first["path"].exists() and first["path"].parent == tmp_path
    again = burgers_data.load_or_generate(seed=5, cache_dir=None, **kwargs)
    np.testing.assert_array_equal(again["u0"], first["u0"])
    np.testing.assert_array_equal(again["u1"], first["u1"])
    # A changed cache file proves the second call reads it rather than recomputing.
    with np.load(first["path"]) as f:
        arrays = dict(f)
    arrays["u1"] = arrays["u1"] + 1.0
    np.savez(first["path"], **arrays)
    cached = burgers_data.load_or_generate(seed=5, cache_dir=tmp_path, **kwargs)
    assert cached["cached"]
    np.testing.assert_array_equal(cached["u1"], first["u1"] + 1.0)
    other = burgers_data.load_or_generate(seed=6, cache_dir=tmp_path, **kwargs)
    assert other["path"] != first["path"]
    assert not np.allclose(other["u0"], first["u0"])


def test_script_quick_run_writes_and_names_its_files(tmp_path):
    backend = os.environ.get("KERAS_BACKEND", "jax")
    out = (tmp_path / "out").resolve()
    # Data cached beforehand under the script's parameters must be found, not redone.
    data = burgers_data.load_or_generate(8, cache_dir=out, seed=0)
    result = subprocess.run(
        [
            sys.executable,
            str(EXAMPLES / "burgers_fno.py"),
            "--backend", backend, "--quick", "--samples", "8", "--width", "8",
            "--modes", "4", "--depth", "2", "--output-dir", str(out),
        ],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "KERAS_BACKEND": backend},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    stdout = result.stdout
    assert f"backend {backend}" in stdout
    if backend == "torch":
        assert "torch intra-op threads: 1" in stdout
    assert "loaded from cache" in stdout
    files = {
        "data": data["path"],
        "model": out / "burgers_fno.keras",
        "figure": out / "burgers_fno.png",
    }
    for label, path in files.items():
        assert path.stat().st_size > 0
        assert f"{label + ':':8}{path}" in stdout, (label, stdout)
    assert files["figure"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for points in (256, 512, 1024):
        assert f"{points:5d} points: test relative L2 error" in stdout
    assert "(match)" in stdout


def test_script_rejects_bad_arguments():
    script = importlib.import_module("burgers_fno")
    with pytest.raises(SystemExit):
        script.parse_args(["--samples", "1"])
    with pytest.raises(SystemExit):
        script.parse_args(["--epochs", "0"])
    with pytest.raises(SystemExit):
        script.parse_args(["--samples", "2", "--test-fraction", "0.9"])
    with pytest.raises(SystemExit):
        script.parse_args(["--backend", "numpy"])
    args = script.parse_args(["--quick"])
    assert (args.samples, args.epochs, args.target) == (20, 1, None)


@pytest.mark.parametrize("module", ["burgers_data", "burgers_model"])
def test_docstring_examples_run(module):
    import doctest

    result = doctest.testmod(importlib.import_module(module), verbose=False)
    assert result.attempted > 0, f"{module} has no docstring example"
    assert result.failed == 0, f"{result.failed} example(s) of {module} failed"
