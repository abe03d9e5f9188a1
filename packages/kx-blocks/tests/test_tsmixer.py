"""TSMixerBlock and TSMixer: harness, the mixing equations in numpy, RevIN,
target_slice, bad input and a forecast that beats seasonal-naive."""

import keras
import numpy as np
import pytest
from blocks_reference import EAGER_TRAINING, layer_norm, to_numpy

from kx.blocks import TSMixer, TSMixerBlock
from kx.blocks import models as kx_models
from kx.ops.testing import run_layer_test


def _block_params(steps, channels, hidden):
    norms = 2 * 2 * steps * channels  # gamma and beta per (step, channel), twice
    time = steps * steps + steps
    feature = channels * hidden + hidden + hidden * channels + channels
    return norms + time + feature


def test_tsmixer_block_harness():
    run_layer_test(
        TSMixerBlock,
        eager_training=EAGER_TRAINING,
        init_kwargs={"num_hidden": 6, "seed": 0},
        input_shape=(2, 8, 3),
        expected_output_shape=(2, 8, 3),
        expected_num_trainable_weights=10,
        expected_num_params=_block_params(8, 3, 6),
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def _block_reference(block, x):
    """A TSMixer block in numpy (inference: no dropout, batch norm from its
    moving statistics)."""
    steps, channels = x.shape[1:]

    def norm(layer, a):
        w = [to_numpy(v).reshape(steps, channels) for v in layer.inner.weights]
        if block.norm == "LN":
            return layer_norm(a, w[0], w[1], layer.inner.epsilon, axes=(1, 2))
        gamma, beta, mean, var = w
        return (a - mean) / np.sqrt(var + layer.inner.epsilon) * gamma + beta

    relu = lambda z: np.maximum(z, 0)  # noqa: E731
    wt, bt = to_numpy(block.time_kernel), to_numpy(block.time_bias)
    # time mixing: the same (steps x steps) map applied to every channel's series
    h = norm(block.time_norm, x)
    t = np.stack([relu(h[:, :, c] @ wt + bt) for c in range(channels)], axis=-1)
    u = x + t
    # feature mixing: the same MLP applied at every step
    f = norm(block.feature_norm, u)
    f = relu(f @ to_numpy(block.hidden_kernel) + to_numpy(block.hidden_bias))
    return u + f @ to_numpy(block.output_kernel) + to_numpy(block.output_bias)


@pytest.mark.parametrize("norm", ["LN", "BN"])
def test_tsmixer_block_equals_the_equations(norm):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 8, 4)).astype("float32")
    block = TSMixerBlock(num_hidden=5, norm=norm)
    block.build(x.shape)
    for v in block.weights:  # non-trivial norms and biases
        v.assign(rng.uniform(0.5, 1.5, tuple(v.shape)).astype("float32"))
    y = to_numpy(block(x))
    np.testing.assert_allclose(y, _block_reference(block, x.astype("float64")),
                               atol=1e-4, rtol=1e-5)  # fmt: skip
    # the time and feature axes matter: transposing an input changes the answer
    z = to_numpy(block(x[:, ::-1]))[:, ::-1]
    assert np.abs(z - y).max() > 1e-3


def test_tsmixer_harness():
    # batch-norm blocks here (layer norm in the block's harness): each batch norm
    # adds a moving mean and variance per (step, channel), not trainable
    blocks = _block_params(8, 3, 4) + 2 * 2 * 8 * 3
    run_layer_test(
        TSMixer,
        eager_training=EAGER_TRAINING,
        init_kwargs={
            "sequence_length": 5,
            "num_hidden": [4],
            "norm": "BN",
            "use_revin": True,
        },
        input_shape=(4, 8, 3),
        expected_output_shape=(4, 5, 3),
        expected_num_non_trainable_weights=4,
        expected_num_params=blocks + 8 * 5 + 5 + 2 * 3,
        # harness tolerance: its jit and nesting checks compare float32 outputs of
        # differently fused programs (XLA against eager), whose FFT, softmax and
        # normalization sums add in another order: up to ~1e-5 here
        atol=1e-4,
        rtol=1e-4,
    )


def test_tsmixer_target_slice_and_equation():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 8, 3)).astype("float32") * 3 + 5
    model = TSMixer(6, num_hidden=4, use_revin=True, target_slice=[2, 0])
    y = to_numpy(model(x))
    assert y.shape == (2, 6, 2)
    # a list of widths: one block each
    stacked = TSMixer(6, num_hidden=[4, 5, None])
    stacked(x)
    assert [b.hidden_kernel.shape[-1] for b in stacked.blocks] == [4, 5, 3]
    assert kx_models.TSMixer is TSMixer
    model.revin_scale.assign(np.array([1.5, 0.5, 2.0], "float32"))
    model.revin_bias.assign(np.array([0.1, -0.2, 0.3], "float32"))
    y = to_numpy(model(x))
    xd = x.astype("float64")
    mean, std = xd.mean(1, keepdims=True), np.sqrt(xd.var(1, keepdims=True) + 1e-5)
    scale, bias = to_numpy(model.revin_scale), to_numpy(model.revin_bias)
    h = (xd - mean) / std * scale + bias
    h = _block_reference(model.blocks[0], h)[:, :, [2, 0]]
    w, b = to_numpy(model.projection_kernel), to_numpy(model.projection_bias)
    out = np.einsum("btc,ts->bsc", h, w) + b[:, None]
    out = (out - bias[[2, 0]]) / (scale[[2, 0]] + 1e-10)
    out = out * std[:, :, [2, 0]] + mean[:, :, [2, 0]]
    np.testing.assert_allclose(y, out, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize(
    "cls, kwargs, name",
    [
        (TSMixerBlock, {"norm": "layer"}, "norm"),
        (TSMixerBlock, {"dropout_rate": -0.1}, "dropout_rate"),
        (TSMixerBlock, {"num_hidden": 0}, "num_hidden"),
        (TSMixer, {"sequence_length": 0}, "sequence_length"),
        (TSMixer, {"sequence_length": 4, "norm": "GN"}, "norm"),
        (TSMixer, {"sequence_length": 4, "num_hidden": [8, -1]}, "num_hidden"),
        (TSMixer, {"sequence_length": 4, "dropout_rate": 2}, "dropout_rate"),
        (TSMixer, {"sequence_length": 4, "target_slice": [-1]}, "target_slice"),
        (TSMixer, {"sequence_length": 4, "use_revin": "no"}, "use_revin"),
    ],
)
def test_bad_arguments(cls, kwargs, name):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: `{name}` must be"):
        cls(**kwargs)


@pytest.mark.parametrize("cls", [TSMixerBlock, TSMixer])
def test_a_time_length_that_is_not_static_is_refused(cls):
    layer = cls(4) if cls is TSMixer else cls()
    with pytest.raises(ValueError, match=rf"{cls.__name__}: `steps` must be a static"):
        layer(keras.Input((None, 3)))
    with pytest.raises(ValueError, match="target_slice"):
        TSMixer(4, target_slice=3).build((None, 8, 3))


def _series(n, channels, rng):
    """Several seasonalities (periods 24, 10 and 7) per channel, a trend and
    noise."""
    t = np.arange(n)[:, None]
    series = np.zeros((n, channels))
    for period in (24, 10, 7):
        amplitude = rng.uniform(0.5, 1.5, channels)
        phase = rng.uniform(0, 2 * np.pi, channels)
        series += amplitude * np.sin(2 * np.pi * t / period + phase)
    series += 0.002 * t * rng.uniform(-1, 1, channels)
    return series + 0.3 * rng.standard_normal((n, channels))


def _windows(series, lookback, horizon):
    idx = np.arange(len(series) - lookback - horizon + 1)[:, None]
    x = series[idx + np.arange(lookback)]
    y = series[idx + lookback + np.arange(horizon)]
    return x.astype("float32"), y.astype("float32")


def _seasonal_naive(x, season, horizon):
    """Repeat the last ``season`` steps of each window over the horizon."""
    last = x[:, -season:]
    reps = -(-horizon // season)
    return np.concatenate([last] * reps, axis=1)[:, :horizon]


def test_tsmixer_beats_seasonal_naive_on_a_seasonal_series():
    rng = np.random.default_rng(0)
    lookback, horizon = 48, 12
    series = _series(1000, 3, rng)
    x_train, y_train = _windows(series[:750], lookback, horizon)
    x_test, y_test = _windows(series[750:], lookback, horizon)
    keras.utils.set_random_seed(0)
    model = TSMixer(horizon, num_hidden=[32, 32], dropout_rate=0.0, use_revin=True)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    model.fit(x_train, y_train, batch_size=32, epochs=3, verbose=0)
    mse = float(np.mean((to_numpy(model.predict(x_test, verbose=0)) - y_test) ** 2))
    # seasonal naive: the value one season before each forecast step, with the
    # best of the three seasons on the test windows themselves
    naive_mse = min(
        float(np.mean((_seasonal_naive(x_test, season, horizon) - y_test) ** 2))
        for season in (24, 10, 7)
    )
    assert mse < 0.8 * naive_mse, (mse, naive_mse)
