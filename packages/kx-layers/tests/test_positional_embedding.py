"""GridEmbedding: harness, coordinates, resolution independence, bad arguments."""

import keras
import numpy as np
import pytest

from kx.layers import GridEmbedding, GridEmbedding1D, GridEmbedding2D
from kx.ops.testing import run_layer_test


@pytest.mark.parametrize(
    "cls, kwargs, shape, out_shape",
    [
        (GridEmbedding1D, {}, (2, 6, 3), (2, 6, 4)),
        (
            GridEmbedding2D,
            {"grid_boundaries": [[0, 1], [-1, 1]], "data_format": "channels_first"},
            (2, 3, 4, 5),
            (2, 5, 4, 5),
        ),
        (GridEmbedding, {"rank": 3}, (1, 2, 3, 4, 1), (1, 2, 3, 4, 4)),
    ],
)
def test_harness(cls, kwargs, shape, out_shape):
    run_layer_test(
        cls,
        init_kwargs=kwargs,
        input_shape=shape,
        expected_output_shape=out_shape,
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_params=0,
        run_training_check=False,  # no weights to train
    )


def test_coordinates_are_the_periodic_grid():
    x = np.random.default_rng(0).standard_normal((2, 4, 5, 1)).astype("float32")
    y = keras.ops.convert_to_numpy(GridEmbedding2D([[0, 1], [-1, 1]])(x))
    np.testing.assert_array_equal(y[..., :1], x)
    np.testing.assert_allclose(y[1, :, 3, 1], [0, 0.25, 0.5, 0.75], atol=1e-7)
    np.testing.assert_allclose(y[0, 2, :, 2], -1 + 2 * np.arange(5) / 5, atol=1e-6)


def test_same_domain_at_every_resolution():
    inputs = keras.Input((None, 1))
    model = keras.Model(inputs, GridEmbedding1D()(inputs))
    coarse = model.predict(np.zeros((1, 8, 1), "float32"), verbose=0)
    fine = model.predict(np.zeros((1, 16, 1), "float32"), verbose=0)
    np.testing.assert_allclose(fine[:, ::2], coarse, atol=1e-7)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"grid_boundaries": [[0, 1]]}, "grid_boundaries"),
        ({"grid_boundaries": [[1, 0], [0, 1]]}, "grid_boundaries"),
        ({"grid_boundaries": [[0, "a"], [0, 1]]}, "grid_boundaries"),
        ({"data_format": "NHWC"}, "data_format"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GridEmbedding2D(**kwargs)


def test_bad_input_rank():
    with pytest.raises(ValueError, match="dimensions"):
        GridEmbedding2D().build((None, 8, 2))
