"""Large inputs forward and backward within the machine's memory, without a
quadratic blow-up (``nox -s large``; not in the default run).

An FNO2D model at 256x256 and 512x512, and a CfC over 5,000 and 10,000 steps, each
train one step in a fresh subprocess (``large_case.py``), whose peak resident
memory is the backend's too. What the step needed is the peak after the step less
the peak before it; the FNO's spectral convolution is an FFT (n log n, memory
linear in the grid points) and the CfC a recurrence whose backward pass keeps one
state per step (memory linear in the steps), so doubling the steps must not
quadruple the memory, and four times the points must not make it sixteen times.
The table printed at the end is the one in docs/robustness.md.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
LIMIT_MIB = 20 * 1024  # the 24 GiB machine, less room for the rest
# case -> (smaller size, larger size, growth if linear, growth if quadratic)
CASES = {
    "fno2d": (256, 512, 4.0, 16.0),
    "cfc": (5000, 10000, 2.0, 4.0),
}
RESULTS: list[dict] = []


def run_case(case: str, size: int) -> dict:
    out = subprocess.run(
        [sys.executable, str(HERE / "large_case.py"), case, str(size)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=1800,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", sorted(CASES))
def test_memory_is_linear_in_the_input_size(case):
    small, large, linear, quadratic = CASES[case]
    results = [run_case(case, size) for size in (small, large)]
    for result in results:
        result["step_mib"] = round(result["peak_mib"] - result["base_mib"], 1)
        RESULTS.append(result)
        assert result["loss_finite"], result
        assert result["peak_mib"] < LIMIT_MIB, result
    growth = results[1]["step_mib"] / max(results[0]["step_mib"], 1.0)
    results[1]["growth"] = round(growth, 2)
    # halfway (geometrically) between linear and quadratic growth
    bound = math.sqrt(linear * quadratic)
    assert growth < bound, (
        f"{case}: the step's memory grew {growth:.2f}x from size {small} to {large} "
        f"(linear: {linear:g}x, quadratic: {quadratic:g}x): {results}"
    )


def teardown_module(module):
    if not RESULTS:
        return
    print("\n| backend | case | size | peak MiB | step MiB | growth | step s |")
    print("|---|---|---|---|---|---|---|")
    for r in RESULTS:
        print(
            f"| {r['backend']} | {r['case']} | {r['size']} | {r['peak_mib']:.0f} | "
            f"{r['step_mib']:.0f} | {r.get('growth', '')} | {r['seconds']} |"
        )
