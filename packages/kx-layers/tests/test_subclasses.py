"""The 3D subclasses through the harness (config, shapes, saving, dtype policies).

Their N-d base classes run the full harness (training and jit included) with
``rank=3`` in the other test files; the subclasses only fix the rank, so the
compiled training runs are not repeated here.
"""

import pytest

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
        run_training_check=False,
        run_jit_check=False,
        atol=1e-4,
        rtol=1e-4,
    )
