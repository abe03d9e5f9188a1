"""DropPath, LayerScale and FeedForward: harness, equations and bad input."""

import keras
import numpy as np
import pytest
from blocks_reference import EAGER_TRAINING, to_numpy

from kx.blocks import DropPath, FeedForward, LayerScale
from kx.ops.testing import run_layer_test


def test_drop_path_harness():
    run_layer_test(
        DropPath,
        eager_training=EAGER_TRAINING,
        init_kwargs={"rate": 0.5, "seed": 1},
        input_shape=(4, 3, 2),
        expected_output_shape=(4, 3, 2),
        expected_num_params=0,
        run_training_check=False,  # no weights to train
    )


def test_drop_path_drops_whole_samples_and_keeps_the_mean():
    x = np.ones((4000, 3, 2), "float32")
    layer = DropPath(0.25, seed=2)
    np.testing.assert_array_equal(to_numpy(layer(x)), x)  # inference: identity
    y = to_numpy(layer(x, training=True))
    per_sample = y.reshape(len(y), -1)
    # each sample is all zeros or all 1 / (1 - rate)
    kept = np.all(np.isclose(per_sample, 1 / 0.75), axis=1)
    dropped = np.all(per_sample == 0, axis=1)
    assert np.all(kept | dropped)
    assert abs(dropped.mean() - 0.25) < 0.03
    assert abs(y.mean() - 1.0) < 0.05


def test_layer_scale_harness_and_equation():
    run_layer_test(
        LayerScale,
        eager_training=EAGER_TRAINING,
        init_kwargs={"init_value": 0.1},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
        expected_num_params=4,
        run_mixed_precision_check=False,
        run_float64_check=False,
        run_jit_check=False,
    )
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype("float32")
    layer = LayerScale(0.1)
    np.testing.assert_allclose(to_numpy(layer(x)), 0.1 * x, rtol=1e-6)
    layer.gamma.assign(np.arange(4, dtype="float32"))
    np.testing.assert_allclose(to_numpy(layer(x)), x * np.arange(4), rtol=1e-6)


def test_feed_forward_harness():
    run_layer_test(
        FeedForward,
        eager_training=EAGER_TRAINING,
        init_kwargs={"mlp_dim": 6, "output_dim": 3, "dropout": 0.1, "seed": 0},
        input_shape=(2, 5, 4),
        expected_output_shape=(2, 5, 3),
        expected_num_trainable_weights=4,
        expected_num_params=4 * 6 + 6 + 6 * 3 + 3,
        run_mixed_precision_check=False,
        run_float64_check=False,
    )


def test_feed_forward_equation():
    x = np.random.default_rng(1).standard_normal((2, 5, 4)).astype("float32")
    layer = FeedForward(mlp_dim=6, activation="relu")
    y = to_numpy(layer(x))
    w1, b1, w2, b2 = (to_numpy(w) for w in layer.weights)
    np.testing.assert_allclose(y, np.maximum(x @ w1 + b1, 0) @ w2 + b2, atol=1e-5)
    # dropout is active in training only
    dropped = FeedForward(mlp_dim=6, dropout=0.5, seed=1)
    dropped(x)
    assert np.array_equal(to_numpy(dropped(x)), to_numpy(dropped(x)))
    assert not np.allclose(to_numpy(dropped(x, training=True)), to_numpy(dropped(x)))


@pytest.mark.parametrize(
    "cls, kwargs, name",
    [
        (DropPath, {"rate": -0.1}, "rate"),
        (DropPath, {"rate": 1.0}, "rate"),
        (LayerScale, {"init_value": -1.0}, "init_value"),
        (FeedForward, {"mlp_dim": 0}, "mlp_dim"),
        (FeedForward, {"mlp_dim": 4, "dropout": -0.5}, "dropout"),
        (FeedForward, {"mlp_dim": 4, "output_dim": 1.5}, "output_dim"),
    ],
)
def test_bad_arguments(cls, kwargs, name):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: `{name}` must be"):
        cls(**kwargs)


def test_unknown_channels():
    with pytest.raises(ValueError, match="FeedForward: `input_shape` must be"):
        FeedForward(4).build((None, None))
    assert keras.ops.shape(DropPath(0.1)(np.ones((2, 3), "float32")))[0] == 2
