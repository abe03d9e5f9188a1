"""Test settings shared by every package's tests (pytest finds this file from the root).

On jax, float64 must be switched on before jax is imported for the float64 checks.
When several backends share one environment, torch is imported before tensorflow:
the other order can crash the process.
"""

import importlib.util
import os

os.environ.setdefault("JAX_ENABLE_X64", "1")
if importlib.util.find_spec("torch") and importlib.util.find_spec("tensorflow"):
    import torch  # noqa: F401
