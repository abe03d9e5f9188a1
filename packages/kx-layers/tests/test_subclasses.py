"""The rank subclasses: the 3D ones through the harness, every signature checked.

The 3D subclasses run the harness (config, shapes, saving, dtype policies).

Their N-d base classes run the full harness (training and jit included) with
``rank=3`` in the other test files; the subclasses only fix the rank, so the
compiled training runs are not repeated here.
"""

import inspect

import pytest

import kx.layers as kx_layers
from kx.layers import (
    FNO3D,
    AttentionPooling3D,
    ChannelAttentionModule3D,
    FFTUpSampling3D,
    GridEmbedding3D,
    SmoothUpSampling3D,
    SpectralConv3D,
)
from kx.ops.testing import run_layer_test


@pytest.mark.parametrize(
    "cls, kwargs, out_shape, params",
    [
        (SpectralConv3D, {"filters": 2, "modes": 1}, (1, 4, 4, 4, 2), 2 * 16 + 2),
        (FNO3D, {"filters": 2, "modes": 1}, (1, 4, 4, 4, 2), 2 * 16 + 2 + 4 + 2),
        (GridEmbedding3D, {}, (1, 4, 4, 4, 5), 0),
        (
            ChannelAttentionModule3D,
            {"reduction_ratio": 2},
            (1, 1, 1, 1, 2),
            2 + 1 + 2 + 2,
        ),
        (AttentionPooling3D, {"num_queries": 1, "num_heads": 1}, (1, 2), 2 + 3 * 6 + 6),
        (FFTUpSampling3D, {"size": 2}, (1, 8, 8, 8, 2), 0),
        (SmoothUpSampling3D, {"filters": 1, "kernel_size": 1}, (1, 8, 8, 8, 1), 3),
    ],
)
def test_3d_subclass_harness(cls, kwargs, out_shape, params):
    run_layer_test(
        cls,
        init_kwargs=kwargs,
        input_shape=(1, 4, 4, 4, 2),
        expected_output_shape=out_shape,
        expected_num_params=params,
        # the 3D classes are thin subclasses of N-d bases whose training and jit
        # checks run in 1D and 2D (test_fno, test_resampling); 3D XLA compiles
        # would double this file's time for the same code
        run_training_check=False,
        run_jit_check=False,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


RANK_SUBCLASSES = [
    (base, getattr(kx_layers, f"{base.__name__}{rank}D"), rank)
    for base in (
        kx_layers.SpectralConv,
        kx_layers.FNO,
        kx_layers.GridEmbedding,
        kx_layers.ChannelAttentionModule,
        kx_layers.AttentionPooling,
        kx_layers.FFTUpSampling,
        kx_layers.SmoothUpSampling,
    )
    for rank in (1, 2, 3)
]


@pytest.mark.parametrize(
    "base, cls, rank",
    RANK_SUBCLASSES,
    ids=[cls.__name__ for _, cls, _ in RANK_SUBCLASSES],
)
def test_rank_subclass_signature_is_the_base_one_without_rank(base, cls, rank):
    """Every argument of the N-d base but ``rank``, same order, same defaults and
    the same annotations (strings, under ``from __future__ import annotations``)."""
    parameters = list(inspect.signature(base).parameters.values())
    assert parameters[0].name == "rank"
    expected = inspect.signature(base).replace(parameters=parameters[1:])
    assert inspect.signature(cls) == expected
    annotations = {
        name: p.annotation for name, p in inspect.signature(cls).parameters.items()
    }
    assert annotations == {p.name: p.annotation for p in parameters[1:]}
    unannotated = [n for n, a in annotations.items() if not isinstance(a, str)]
    assert not unannotated, f"{cls.__name__}: unannotated {unannotated}"
    assert inspect.signature(cls.__init__).return_annotation == "None"
    doc = inspect.getdoc(cls)
    for name in expected.parameters:
        if name != "kwargs":
            assert name in doc, f"{cls.__name__} does not document `{name}`"
    assert f"rank={rank}" in doc


def test_every_rank_subclass_of_kx_layers_is_checked():
    """A new N-d family is added to RANK_SUBCLASSES above, or this fails."""
    checked = {cls for _, cls, _ in RANK_SUBCLASSES}
    rank_classes = {
        obj
        for name, obj in vars(kx_layers).items()
        if inspect.isclass(obj) and name[-2:] in ("1D", "2D", "3D")
    }
    assert rank_classes == checked
