"""kx.ncps: CfC and LTC recurrent cells and layers, and their wirings.

Drop-in names for ``ncps.keras`` and ``ncps.wirings`` on every Keras 3 backend.
"""

from __future__ import annotations

from kx.ncps import wirings
from kx.ncps.activations import lecun_tanh
from kx.ncps.cfc import CfC
from kx.ncps.cfc_cell import CfCCell, WiredCfCCell
from kx.ncps.ltc import LTC
from kx.ncps.ltc_cell import LTCCell
from kx.ncps.mixed_memory import MixedMemoryRNN

__version__ = "0.1.0"

__all__ = [
    "CfC",
    "CfCCell",
    "LTC",
    "LTCCell",
    "MixedMemoryRNN",
    "WiredCfCCell",
    "lecun_tanh",
    "wirings",
]
