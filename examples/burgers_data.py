"""1-D viscous Burgers data for the FNO demo, generated here with numpy only.

The problem (Li et al. 2021, "Fourier Neural Operator for Parametric Partial
Differential Equations", section 5.1) on the periodic unit interval:

    u_t + (u**2 / 2)_x = nu * u_xx,    x in [0, 1),  t in (0, 1],

with initial conditions drawn from the Gaussian random field
N(0, 625 (-Laplacian + 25 I)**-2). The operator to learn maps u(., 0) to u(., 1).

* Initial conditions: the Karhunen-Loeve expansion of that field on the periodic
  interval. The eigenfunctions of the Laplacian there are sqrt(2) cos(2 pi k x) and
  sqrt(2) sin(2 pi k x) with eigenvalues -(2 pi k)**2, so mode ``k`` gets the
  standard deviation ``25 / ((2 pi k)**2 + 25)``. The constant mode is left out (a
  mean-zero field, as in the reference generators) and the expansion stops at the
  highest wavenumber the solver keeps, so the stored initial condition is exactly
  the function that was evolved.
* Solver: Fourier pseudo-spectral in space with the 2/3 dealiasing rule, ETDRK4 in
  time (Cox & Matthews 2002) with the coefficients computed by contour integrals
  (Kassam & Trefethen 2005), vectorized over all samples at once.
* Default viscosity ``nu = 0.01``. With this field and the ``nu = 0.1`` of the
  paper, the solution at t = 1 is nearly a single sine wave (0.03% of the initial
  energy is left and the second mode is 200 times weaker than the first). With
  ``nu = 0.01``, 12% of the energy is left and the solution has steep fronts: the
  mean Fourier amplitude at k = 8 is 1.4% of that at k = 1, at k = 16 still 2.5e-4
  (fully resolved on 1024 points: below 1e-13 of it by k = 64). An FNO still
  learns the map to below 1% relative L2 error in the demo's few-minute budget.
* Default time step ``dt = 5e-3`` (200 steps): against ``dt = 1e-4`` the relative
  L2 difference at t = 1 is about 4e-8.

Example:

>>> from burgers_data import load_or_generate
>>> data = load_or_generate(n_samples=8, seed=0, cache_dir=None)
>>> data["u0"].shape, data["u1"].shape
((8, 1024), (8, 1024))
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

DEFAULT_CACHE_DIR = Path(__file__).resolve().parent / "output"

# The initial-condition field is N(0, sigma**2 (-Laplacian + tau**2 I)**-alpha).
GRF_SIGMA = 25.0
GRF_TAU = 5.0
GRF_ALPHA = 2.0


def wavenumbers(n_points):
    """The non-negative integer wavenumbers ``0 .. n_points // 2`` of ``rfft``."""
    return np.arange(n_points // 2 + 1)


def grf_initial_conditions(
    n_samples, n_points, rng, k_max=None, sigma=GRF_SIGMA, tau=GRF_TAU, alpha=GRF_ALPHA
):
    """Samples of the mean-zero periodic Gaussian random field on a uniform grid.

    Args:
        n_samples: number of fields.
        n_points: grid points on ``[0, 1)``; must be even.
        rng: a ``numpy.random.Generator``.
        k_max: highest wavenumber kept (defaults to ``n_points // 3``, the modes a
            dealiased solver on this grid keeps).
        sigma, tau, alpha: the field is N(0, sigma**2 (-Laplacian + tau**2)**-alpha).

    Returns:
        A float64 array of shape ``(n_samples, n_points)``.
    """
    if k_max is None:
        k_max = n_points // 3
    k = wavenumbers(n_points)
    std = sigma * ((2.0 * np.pi * k) ** 2 + tau**2) ** (-alpha / 2.0)
    std[0] = 0.0
    std[k > k_max] = 0.0
    # u(x) = sum_k std_k sqrt(2) (a_k cos(2 pi k x) + b_k sin(2 pi k x)); with numpy's
    # irfft convention u_j = (1/N) sum_k c_k e^{2 pi i k j / N} (each k > 0 counted
    # twice), c_k = N std_k (a_k - i b_k) / sqrt(2) gives exactly that sum.
    a = rng.standard_normal((n_samples, k.size))
    b = rng.standard_normal((n_samples, k.size))
    coeffs = n_points * std * (a - 1j * b) / np.sqrt(2.0)
    return np.fft.irfft(coeffs, n=n_points, axis=-1)


def _etdrk4_coefficients(linear, dt, n_contour=32):
    """ETDRK4 coefficients for the diagonal linear operator ``linear`` and step ``dt``.

    The phi-functions are evaluated as means over a circle of radius 1 around each
    ``dt * linear`` (Kassam & Trefethen 2005), which avoids the cancellation of the
    explicit formulas for small arguments.
    """
    z = dt * linear
    roots = np.exp(1j * np.pi * (np.arange(1, n_contour + 1) - 0.5) / n_contour)
    lr = z[:, None] + roots[None, :]
    e = np.exp(z)
    e2 = np.exp(z / 2.0)
    q = dt * np.real(np.mean((np.exp(lr / 2.0) - 1.0) / lr, axis=1))
    f1 = dt * np.real(
        np.mean((-4.0 - lr + np.exp(lr) * (4.0 - 3.0 * lr + lr**2)) / lr**3, axis=1)
    )
    f2 = dt * np.real(np.mean((2.0 + lr + np.exp(lr) * (-2.0 + lr)) / lr**3, axis=1))
    f3 = dt * np.real(
        np.mean((-4.0 - 3.0 * lr - lr**2 + np.exp(lr) * (4.0 - lr)) / lr**3, axis=1)
    )
    return e, e2, q, f1, f2, f3


def solve_burgers(u0, nu, t_final=1.0, dt=None, n_steps=None):
    """Evolves periodic viscous Burgers from ``u0`` to ``t_final``.

    Pseudo-spectral on the grid of ``u0`` (2/3-rule dealiasing of the nonlinear
    term) with ETDRK4 time stepping; all rows are solved together.

    Args:
        u0: array ``(..., n_points)`` of values on the uniform grid of ``[0, 1)``.
        nu: viscosity, > 0 (0 is allowed for short inviscid runs).
        t_final: end time.
        dt: time step (rounded down so that a whole number of steps hits
            ``t_final``); default ``1e-3``. Ignored when ``n_steps`` is given.
        n_steps: number of steps.

    Returns:
        ``u(., t_final)`` with the shape of ``u0``, float64.
    """
    u0 = np.asarray(u0, dtype=np.float64)
    n_points = u0.shape[-1]
    if n_points % 2:
        raise ValueError(f"u0 must have an even number of points, got {n_points}.")
    if nu < 0:
        raise ValueError(f"nu must be >= 0, got {nu}.")
    if n_steps is None:
        n_steps = max(1, int(np.ceil(t_final / (1e-3 if dt is None else dt) - 1e-9)))
    dt = t_final / n_steps
    k = wavenumbers(n_points)
    wave = 2.0 * np.pi * k
    linear = -nu * wave**2
    # d/dx (u^2 / 2) -> i k (u^2)^ / 2, with the modes above 2/3 of the band removed.
    nonlinear_factor = -0.5j * wave * (k <= n_points // 3)
    e, e2, q, f1, f2, f3 = _etdrk4_coefficients(linear, dt)

    def nonlinear(v):
        u = np.fft.irfft(v, n=n_points, axis=-1)
        return nonlinear_factor * np.fft.rfft(u * u, axis=-1)

    v = np.fft.rfft(u0, axis=-1)
    for _ in range(n_steps):
        nv = nonlinear(v)
        a = e2 * v + q * nv
        na = nonlinear(a)
        b = e2 * v + q * na
        nb = nonlinear(b)
        c = e2 * a + q * (2.0 * nb - nv)
        nc = nonlinear(c)
        v = e * v + f1 * nv + 2.0 * f2 * (na + nb) + f3 * nc
    return np.fft.irfft(v, n=n_points, axis=-1)


def cache_path(cache_dir, n_samples, n_points, nu, seed, dt):
    """The file a data set with these parameters is cached in."""
    name = f"burgers_n{n_samples}_s{n_points}_nu{nu:g}_dt{dt:g}_seed{seed}.npz"
    return Path(cache_dir) / name


def generate(n_samples, n_points=1024, nu=0.01, seed=0, dt=5e-3):
    """Generates the data set: ``{"x", "u0", "u1"}`` with ``u1 = u(., t=1)``.

    Same arguments, same arrays: the only randomness is a
    ``numpy.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    u0 = grf_initial_conditions(n_samples, n_points, rng)
    u1 = solve_burgers(u0, nu=nu, t_final=1.0, dt=dt)
    x = np.arange(n_points) / n_points
    return {"x": x, "u0": u0, "u1": u1}


def load_or_generate(
    n_samples, n_points=1024, nu=0.01, seed=0, dt=5e-3, cache_dir=DEFAULT_CACHE_DIR
):
    """Loads the data set from ``cache_dir`` or generates and caches it there.

    Args:
        n_samples, n_points, nu, seed, dt: see :func:`generate`.
        cache_dir: folder for the ``.npz`` cache; ``None`` to skip the cache.

    Returns:
        A dict with ``x`` ``(n_points,)``, ``u0`` and ``u1`` ``(n_samples,
        n_points)`` (float64), ``path`` (the cache file or ``None``) and ``cached``
        (whether it was read from the cache).
    """
    path = None
    if cache_dir is not None:
        path = cache_path(cache_dir, n_samples, n_points, nu, seed, dt)
        if path.exists():
            with np.load(path) as f:
                arrays = {key: f[key] for key in f.files}
            return {**arrays, "path": path, "cached": True}
    data = generate(n_samples, n_points=n_points, nu=nu, seed=seed, dt=dt)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **data)
        tmp.replace(path)
    return {**data, "path": path, "cached": False}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--points", type=int, default=1024)
    parser.add_argument("--nu", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    data = load_or_generate(
        args.samples, args.points, nu=args.nu, seed=args.seed, cache_dir=args.cache_dir
    )
    verb = "loaded" if data["cached"] else "generated"
    elapsed = time.perf_counter() - start
    print(f"{verb} {data['u0'].shape} in {elapsed:.1f} s: {data['path']}")


if __name__ == "__main__":
    main()
