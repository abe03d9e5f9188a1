"""The scripts of docs/distributed.md, loaded as modules, and the problems the tests
train them on.

The page is the only copy of each script: ``load`` cuts the ``distributed_<backend>.py``
block out of the page, writes it to a temporary folder on ``sys.path`` and imports
it under that name (torch's spawned processes import it again by name), so the
tests run exactly what the page shows. Importing a script sets up its devices, so
``conftest.py`` loads the backend's script before anything imports keras.
"""

from __future__ import annotations

import atexit
import importlib
import re
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "distributed.md"
sys.path.insert(0, str(ROOT / "tests-integration"))  # portability.py: the families

# the families of issue #18, by their portability.FAMILIES names: the FNO (neural
# operator), the CfC (kx-layers and kx-ncps: FNO1D, SpectralConv1D, CfC and LTC
# layers), the U-net (autoencoder), the TSMixer and the ViT
FAMILY_NAMES = ("neural-operator", "layers-ncps", "autoencoder", "tsmixer", "vit")
BATCH = 8  # divisible by the 4 jax devices and by the 2 tensorflow / torch replicas

_FOLDER = Path(tempfile.mkdtemp(prefix="kx-distributed-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
sys.path.insert(0, str(_FOLDER))


def source(backend: str) -> str:
    """The text of the page's ``distributed_<backend>.py`` block."""
    name = f"distributed_{backend}.py"
    blocks = re.findall(
        rf'```text title="{re.escape(name)}"\n(.*?)```', PAGE.read_text(), re.S
    )
    assert len(blocks) == 1, f"{PAGE} must have one block titled {name}"
    return blocks[0]


def load(backend: str) -> ModuleType:
    """The page's script for ``backend``, imported once as ``distributed_<backend>``."""
    name = f"distributed_{backend}"
    if name not in sys.modules:
        (_FOLDER / f"{name}.py").write_text(source(backend))
        importlib.import_module(name)
    return sys.modules[name]


def script_for(backend: str, engine: str) -> ModuleType:
    """The page's script for ``backend``; on another backend, the calling test module
    is skipped, naming the ``engine`` that needs ``backend``."""
    import keras
    import pytest

    if keras.config.backend() != backend:
        pytest.skip(
            f"{engine} runs on the {backend} backend only; this session's backend "
            f"is {keras.config.backend()}",
            allow_module_level=True,
        )
    return load(backend)


def tsmixer_without_dropout():
    """portability's TSMixer with its dropout off (TSMixer's default dropout_rate is
    0.1): replicas draw their own dropout masks for their share of the batch, so
    with dropout a distributed step is not the one-device step."""
    from kx.blocks.models import TSMixer

    return TSMixer(sequence_length=4, num_hidden=[8, 8], dropout_rate=0.0)


BUILDERS = {"tsmixer": tsmixer_without_dropout}  # the others: portability's builders


def problem(family: str):
    """``build, weights, x, y``: a family's builder, the weights of one fresh model
    (built on one device), a batch of inputs and of targets shaped as its outputs."""
    import keras
    import numpy as np
    from portability import FAMILIES

    build, sample_shape, _ = FAMILIES[family]
    build = BUILDERS.get(family, build)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, *sample_shape[1:])).astype("float32")
    keras.utils.set_random_seed(0)
    model = build()
    outputs = model(x)
    y = rng.standard_normal(tuple(outputs.shape)).astype("float32")
    return build, model.get_weights(), x, y
