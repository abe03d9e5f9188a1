"""One small valid construction of every public class of the kx family.

``PUBLIC`` is every class that ``__all__`` of kx.layers, kx.ncps, kx.blocks,
kx.blocks.models, kx.vision and kx.vision.layers names (each class once, under the
first of those names). ``RECIPES`` holds, per class, the few keyword arguments it
needs and the input it runs on; the 1D/2D/3D subclasses and their N-d base share
one entry (its input grows a spatial axis per rank). ``case(name)`` turns an entry
into a :class:`Case`: a fresh layer and a matching input, called in the one way
every test here calls a layer. The robustness tests (bad input, the property-based
constructor test, ...) are generated from this table, not written per class.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from collections.abc import Callable
from typing import Any

import keras
import numpy as np

MODULES = (
    "kx.layers",
    "kx.ncps",
    "kx.blocks",
    "kx.blocks.models",
    "kx.vision",
    "kx.vision.layers",
)


def public_classes() -> dict[str, type]:
    """``{"kx.layers.FNO1D": FNO1D, ...}``: each public class once."""
    found: dict[str, type] = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and obj not in found.values():
                found[f"{module_name}.{name}"] = obj
    return found


PUBLIC = public_classes()
SIZE, CHANNELS, BATCH = 8, 3, 2


def rank_of(name: str) -> int | None:
    """1, 2 or 3 for a ``...1D``/``2D``/``3D`` class, else None."""
    tail = name[-2:]
    return int(tail[0]) if tail in ("1D", "2D", "3D") else None


def spatial(rank: int, size: int = SIZE, channels: int = CHANNELS) -> tuple:
    """A channels-last input shape with ``rank`` spatial axes."""
    return (BATCH, *(size,) * rank, channels)


# base name -> (kwargs, input) where either may be a function of the rank; an input
# is a shape, or a list of shapes (a list input), and ``CALL`` entries give the call
# keywords as shapes. ``rank`` is added for an N-d base (its rank-1 case).
Recipe = tuple[Any, Any]
SEQUENCE = (BATCH, SIZE, CHANNELS)


def _conv(rank: int) -> keras.layers.Layer:
    return getattr(keras.layers, f"Conv{rank}D")(4, 3)


def _vit(rank: int) -> dict:
    return {
        "input_shape": spatial(rank)[1:],
        "patch_size": 4,
        "num_classes": 3,
        "dim": 12,
        "depth": 1,
        "heads": 2,
        "mlp_dim": 16,
    }


_SPACE_TIME = {
    "input_shape": (4, 8, 8, CHANNELS),
    "patch_size": 4,
    "frame_patch_size": 2,
    "num_classes": 3,
    "dim": 12,
    "spatial_depth": 1,
    "temporal_depth": 1,
    "heads": 2,
    "mlp_dim": 16,
}
_AUTOENCODER = {"filters": [2, 4], "kernel_size": 3}
_DECODER = ({"filters": [4], "kernel_size": 3}, "decoder")

RECIPES: dict[str, Recipe] = {
    # kx.layers
    "CBAM": (lambda r: {"layer": keras.layers.Conv2D(4, 3), "kernel_size": 3},
             spatial(2)),
    "FNO": ({"filters": 4, "modes": 2}, spatial),
    "AttentionGate": ({}, lambda r: [spatial(r), spatial(r, channels=4)]),
    "AttentionPooling": ({"num_queries": 2, "num_heads": 1}, spatial),
    "ChannelAttention": (lambda r: {"layer": _conv(1), "num_heads": 1,
                                    "key_dim": 4, "value_dim": 4}, SEQUENCE),
    "ChannelAttentionModule": ({"reduction_ratio": 1}, spatial),
    "FFTUpSampling": ({"size": 2}, spatial),
    "FiLM": (lambda r: {"layer": keras.layers.Dense(4), "num_hidden": 4},
             [SEQUENCE, (BATCH, 5)]),
    "GridEmbedding": ({}, spatial),
    "Residual": (lambda r: {"layer": keras.layers.Dense(CHANNELS)}, SEQUENCE),
    "SmoothUpSampling": ({"filters": 4, "kernel_size": 3}, spatial),
    "SpatialAttention": (lambda r: {"layer": _conv(1), "num_heads": 1,
                                    "key_dim": 4, "value_dim": 4}, SEQUENCE),
    "SpectralConv": ({"filters": 4, "modes": 2}, spatial),
    "TemporalSlice": (lambda r: {"layer": keras.layers.Dense(2), "window_size": 4,
                                    "axis": 1},
                      SEQUENCE),
    "WeightNormalization": (lambda r: {"layer": keras.layers.Dense(4)}, SEQUENCE),
    # kx.ncps (the cells run inside keras.layers.RNN)
    "CfC": ({"units": 4, "backbone_units": 8}, SEQUENCE),
    "CfCCell": ({"units": 4, "backbone_units": 8}, SEQUENCE),
    "LTC": ({"units": 4}, SEQUENCE),
    "LTCCell": ({"wiring": 4}, SEQUENCE),
    "MixedMemoryRNN": (lambda r: {"rnn_cell": _cell()}, SEQUENCE),
    "WiredCfCCell": (lambda r: {"wiring": _wiring()}, SEQUENCE),
    # kx.blocks
    "CausalSelfAttention": ({"num_heads": 2, "key_dim": 4}, SEQUENCE),
    "CrossAttention": ({"num_heads": 2, "key_dim": 4},
                       ("call", [SEQUENCE, (BATCH, 5, 2)], {})),
    "GlobalSelfAttention": ({"num_heads": 2, "key_dim": 4}, SEQUENCE),
    "Decoder": _DECODER,
    "FourierDecoder": _DECODER,
    "SmoothDecoder": _DECODER,
    "Encoder": ({"filters": [4], "kernel_size": 3}, spatial),
    "DropPath": ({"rate": 0.1}, SEQUENCE),
    "FeedForward": ({"mlp_dim": 8}, SEQUENCE),
    "LayerScale": ({}, SEQUENCE),
    "TSMixerBlock": ({"num_hidden": 4}, SEQUENCE),
    "TransformerEncoder": ({"num_heads": 2, "mlp_dim": 8}, SEQUENCE),
    # kx.blocks.models
    "ConvAutoencoder": (_AUTOENCODER, spatial),
    "FCN": (_AUTOENCODER, spatial),
    "FourierFCN": (_AUTOENCODER, spatial),
    "FourierUnet": (_AUTOENCODER, spatial),
    "SmoothFCN": (_AUTOENCODER, spatial),
    "SmoothUnet": (_AUTOENCODER, spatial),
    "Unet": (_AUTOENCODER, spatial),
    "NeuralOperator": ({"filters": [4], "modes": 2, "input_projection_dimension": 4},
                       spatial),
    "TSMixer": ({"sequence_length": 2, "num_hidden": [4]}, SEQUENCE),
    # kx.vision
    "ClassToken": ({}, SEQUENCE),
    "FourierFeatures": ({}, spatial(2)),
    "LearnedPositionEmbedding": ({}, (BATCH, 2, 2, 4)),
    "PatchEmbedding": ({"patch_size": 4, "dim": 4}, spatial(2)),
    "RegisterTokens": ({"num_tokens": 2}, SEQUENCE),
    "SinCosPositionEmbedding": ({}, (BATCH, 2, 2, 8)),
    "SpaceTimeEncoder": ({"spatial_depth": 1, "temporal_depth": 1, "num_heads": 2,
                          "mlp_dim": 8}, (BATCH, 2, 2, 2, 4)),
    "TokenPooling": ({}, SEQUENCE),
    "ViT": (_vit, None),
    "SimpleViT": (_vit, None),
    "SimpleViTFFT": (_vit, None),
    "SimpleViTRegisterTokens": (_vit, None),
    "VisionTransformer": (_vit, None),
    "ViTSpaceTime": (_SPACE_TIME, None),
    "SimpleViTSpaceTime": (_SPACE_TIME, None),
}  # fmt: skip

CELLS = ("CfCCell", "LTCCell", "MixedMemoryRNN", "WiredCfCCell")


def _cell() -> keras.layers.Layer:
    from kx.ncps import CfCCell

    return CfCCell(4, backbone_units=8)


def _wiring() -> Any:
    from kx.ncps.wirings import AutoNCP

    return AutoNCP(6, 2)


def base_name(name: str) -> str:
    """``"FNO2D"`` -> ``"FNO"``: the entry of ``RECIPES`` a class uses."""
    short = name.rsplit(".", 1)[-1]
    return short[:-2] if rank_of(short) else short


def _takes_rank(cls: type) -> bool:
    return next(iter(inspect.signature(cls).parameters)) == "rank"


@dataclasses.dataclass
class Case:
    """A class's valid small construction and how it is called."""

    name: str  # the public path, e.g. "kx.layers.FNO1D"
    cls: type
    kwargs: dict[str, Any]  # the constructor arguments (``rank`` included)
    args: list[tuple]  # the call's positional input shapes (a list input is one)
    call_kwargs: dict[str, tuple]  # keyword inputs as shapes
    list_input: bool = False  # the inputs go in as one list
    cell: bool = False  # an RNN cell: runs inside keras.layers.RNN

    @property
    def owner(self) -> str:
        return self.cls.__name__

    def make(self, **overrides: Any) -> keras.layers.Layer:
        """A fresh layer (an RNN around a cell) from the recipe plus ``overrides``."""
        layer = self.cls(**{**self.kwargs, **overrides})
        return keras.layers.RNN(layer) if self.cell else layer

    def inputs(
        self, shapes: list[tuple] | None = None, fill: float | None = None
    ) -> tuple[list[Any], dict[str, Any]]:
        """The call's inputs (random normal floats, or ``fill``) for ``shapes``
        (default: the recipe's) and the keyword inputs."""
        rng = np.random.default_rng(0)

        def array(shape):
            if fill is not None:
                return np.full(shape, fill, "float32")
            return rng.standard_normal(shape).astype("float32")

        args = [array(s) for s in (self.args if shapes is None else shapes)]
        kwargs = {k: array(s) for k, s in self.call_kwargs.items()}
        return args, kwargs

    def call(self, layer: keras.layers.Layer, args: list, kwargs: dict) -> Any:
        if self.list_input:
            return layer(list(args), **kwargs)
        return layer(*args, **kwargs)


def case(name: str) -> Case:
    """The :class:`Case` of a public class (its path in ``PUBLIC``)."""
    cls = PUBLIC[name]
    short = name.rsplit(".", 1)[-1]
    make_kwargs, make_input = RECIPES[base_name(short)]
    rank = rank_of(short) or (1 if _takes_rank(cls) else None)
    r = rank or 1
    kwargs = dict(make_kwargs(r) if callable(make_kwargs) else make_kwargs)
    if _takes_rank(cls):
        kwargs = {"rank": r, **kwargs}
    if make_input is None:  # a model given its input shape
        make_input = (BATCH, *kwargs["input_shape"])
    elif make_input == "decoder":  # (features, skip at twice their size)
        make_input = ("call", [spatial(r, 4, 8)], {"skip": spatial(r, 8, 4)})
    shapes = make_input(r) if callable(make_input) else make_input
    call_kwargs: dict[str, tuple] = {}
    list_input = False
    if isinstance(shapes, tuple) and shapes and shapes[0] == "call":
        _, args, call_kwargs = shapes
    elif isinstance(shapes, list):
        args, list_input = [shapes[0], shapes[1]], True
    else:
        args = [shapes]
    return Case(name, cls, kwargs, list(args), dict(call_kwargs), list_input,
                short in CELLS)  # fmt: skip


NAMES = sorted(PUBLIC)
# The classes the per-input rules run on: one per implementation. An N-d base and
# its 2D/3D subclasses run the 1D subclass's code (thin subclasses, their
# signatures checked in the package tests), so a family runs as its 1D class; a
# 2D or 3D class without a 1D sibling stays.
RULE_NAMES = [
    n
    for n in NAMES
    if not (rank_of(n) in (2, 3) and f"{n[:-2]}1D" in PUBLIC)
    and not (_takes_rank(PUBLIC[n]) and f"{n}1D" in PUBLIC)
]


def cases() -> list[Case]:
    return [case(name) for name in NAMES]


def ids(names: list[str]) -> list[str]:
    return [n.removeprefix("kx.") for n in names]


Make = Callable[..., keras.layers.Layer]
# "FNO1D: ", ...: a kx sub-layer's error in the shared format names its class
SUBLAYERS = [f"{cls.__name__}: " for cls in PUBLIC.values()]


def own_message(error: BaseException) -> str:
    """The error's own message, without the context Keras wraps around an error
    raised in a layer's call ("Exception encountered when calling FNO1D.call(). ...
    Arguments received by ..."), which names the class whatever the error."""
    message = str(error)
    if "Exception encountered when calling" in message:
        inner = re.search(r"\x1b\[1m(.*?)\x1b\[0m", message, re.S)
        if inner:
            return inner.group(1)
        parts = message.split("\n\n")
        return parts[1] if len(parts) > 2 else message
    return message


def assert_clear(error: BaseException, case: Case, layer: Any) -> None:
    """A ValueError or TypeError that names the class, the layer (as Keras's own
    input checks do: "... of layer 'fno1d' is incompatible ...") or a kx
    sub-layer in the shared format; never a backend error."""
    message = own_message(error)
    assert isinstance(error, ValueError | TypeError), (
        f"{case.name}: {type(error).__module__}.{type(error).__name__}: {message}"
    )
    if "is incompatible with the layer" in message:
        return  # Keras's InputSpec check: the input, its shape and what it expects
    names = [case.owner, *SUBLAYERS]
    if layer is not None:
        names += [f"'{layer.name}'", f'"{layer.name}"']
        if case.cell:  # the cell's name, inside keras.layers.RNN
            names += [f"'{layer.cell.name}'", f'"{layer.cell.name}"']
    assert any(n in message for n in names), (
        f"{case.name}: the error names neither the class nor the layer: {message}"
    )
