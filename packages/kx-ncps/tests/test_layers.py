"""Layer behaviour: RNN flags, masking, time input in models, errors, training."""

import keras
import numpy as np
import pytest

from kx.ncps import LTC, CfC, CfCCell, LTCCell, WiredCfCCell
from kx.ncps.wirings import AutoNCP, FullyConnected

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 6, 4)).astype("float32")
T = RNG.uniform(0.2, 2.0, size=(3, 6, 1)).astype("float32")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _copy(layer, inputs, **overrides):
    """A layer with the same config and weights, with some options changed."""
    clone = type(layer).from_config({**layer.get_config(), **overrides})
    clone(inputs)
    clone.set_weights(layer.get_weights())
    return clone


LAYERS = {
    "cfc": lambda **k: CfC(5, backbone_units=6, **k),
    "ltc": lambda **k: LTC(AutoNCP(7, 2), ode_unfolds=2, **k),
    "mixed": lambda **k: CfC(4, mixed_memory=True, backbone_units=5, **k),
}


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_masking_equals_truncation_and_go_backwards_equals_reversal(kind):
    layer = LAYERS[kind]()
    inputs = (X, T)
    layer(inputs)
    lengths = [6, 4, 2]
    mask = np.arange(6)[None, :] < np.array(lengths)[:, None]
    masked = _np(layer(inputs, mask=mask))
    for row, length in enumerate(lengths):
        alone = _np(layer((X[row : row + 1, :length], T[row : row + 1, :length])))
        np.testing.assert_allclose(masked[row], alone[0], rtol=1e-5, atol=1e-6)
    backwards = _copy(layer, inputs, go_backwards=True)
    np.testing.assert_allclose(
        _np(backwards(inputs)),
        _np(layer((X[:, ::-1], T[:, ::-1]))),
        rtol=1e-5,
        atol=1e-6,
    )


WHOLE_SEQUENCE_CASES = [  # mode, elapsed time, backbone layers, activation, backwards
    ("default", False, 1, "lecun_tanh", False),
    ("default", True, 2, "sigmoid", True),
    ("no_gate", False, 0, "lecun_tanh", True),
    ("no_gate", True, 1, "relu", False),
    ("pure", False, 1, "tanh", False),
    ("pure", True, 0, "lecun_tanh", True),
]


@pytest.mark.parametrize("case", WHOLE_SEQUENCE_CASES)
def test_whole_sequence_path_equals_step_loop(case):
    """CfC without a mask runs kx.ops.cfc_recurrence (its own backward, XLA on
    tensorflow); with unroll=True it loops over the cell's step. Same outputs,
    and the same weights after a training step (so the same gradients)."""
    mode, timed, layers, activation, backwards = case
    inputs = (X, T) if timed else X
    target = RNG.normal(size=(3, 6, 1)).astype("float32")

    def model(unroll, weights=None):
        x = keras.Input((6, 4))
        t = keras.Input((6, 1))
        rnn = CfC(
            5,
            mode=mode,
            activation=activation,
            backbone_units=6,
            backbone_layers=layers,
            return_sequences=True,
            go_backwards=backwards,
            unroll=unroll,
        )
        out = keras.layers.Dense(1)(rnn((x, t) if timed else x))
        m = keras.Model([x, t] if timed else x, out)
        if weights is None:
            for w in m.weights:
                w.assign(RNG.normal(scale=0.4, size=w.shape).astype(w.dtype))
        else:
            m.set_weights(weights)
        m.compile(keras.optimizers.SGD(0.5), "mse")
        return m, rnn

    fused, rnn = model(False)
    looped, _ = model(True, fused.get_weights())
    state = [keras.ops.zeros((3, 5))]
    t = keras.ops.convert_to_tensor(T) if timed else None
    x = keras.ops.convert_to_tensor(X)
    assert rnn.cell.whole_sequence(x, t, state, False, False) is not None
    np.testing.assert_allclose(
        _np(fused(inputs)), _np(looped(inputs)), rtol=1e-5, atol=1e-6
    )
    fused.train_on_batch(inputs, target)
    looped.train_on_batch(inputs, target)
    for a, b in zip(fused.get_weights(), looped.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_cfc_trains_under_mixed_precision(policy):
    """The whole-sequence path (XLA on tensorflow) in half precision: fit gives a
    finite, falling loss, with elapsed times and with dropout."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(32, 6, 4)).astype("float32")
    t = rng.uniform(0.2, 2.0, size=(32, 6, 1)).astype("float32")
    y = np.tanh(x.sum(axis=(1, 2)))[:, None].astype("float32")
    keras.utils.set_random_seed(0)
    keras.config.set_dtype_policy(policy)
    try:
        xi, ti = keras.Input((6, 4)), keras.Input((6, 1))
        rnn = CfC(8, backbone_units=16, backbone_dropout=0.1)
        out = keras.layers.Dense(1, dtype="float32")(rnn((xi, ti)))
        model = keras.Model([xi, ti], out)
    finally:
        keras.config.set_dtype_policy("float32")
    assert rnn.compute_dtype == policy.split("_")[1]
    model.compile(keras.optimizers.Adam(1e-2), "mse")
    losses = model.fit([x, t], y, batch_size=16, epochs=4, verbose=0).history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]


def test_keras_masking_layer_in_a_model():
    x = X.copy()
    x[1, 3:] = 0.0
    inputs = keras.Input((6, 4))
    layer = CfC(4, backbone_units=5)
    model = keras.Model(inputs, layer(keras.layers.Masking(0.0)(inputs)))
    np.testing.assert_allclose(
        _np(model(x))[1], _np(layer(x[1:2, :3]))[0], rtol=1e-5, atol=1e-6
    )


def test_stateful_return_state_unroll():
    layer = CfC(4, backbone_units=5, return_sequences=True, return_state=True)
    seq, state = layer(X)
    np.testing.assert_allclose(_np(seq)[:, -1], _np(state), rtol=1e-6)
    unrolled = _copy(layer, X, unroll=True)
    np.testing.assert_allclose(_np(unrolled(X)[0]), _np(seq), rtol=1e-5, atol=1e-6)
    stateful = _copy(layer, X[:, :3], stateful=True)
    stateful.reset_state()
    stateful(X[:, :3])
    second, _ = stateful(X[:, 3:])
    np.testing.assert_allclose(_np(second), _np(seq)[:, 3:], rtol=1e-5, atol=1e-6)
    stateful.reset_state()
    np.testing.assert_allclose(
        _np(stateful(X[:, :3])[0]), _np(seq)[:, :3], rtol=1e-5, atol=1e-6
    )


def test_ltc_mixed_memory_return_state_has_two_states():
    layer = LTC(4, mixed_memory=True, ode_unfolds=1, return_state=True)
    out, memory, v = layer(X)
    assert out.shape == (3, 4) and memory.shape == (3, 4) and v.shape == (3, 4)


def test_bidirectional():
    layer = CfC(AutoNCP(8, 3), return_sequences=True)
    bi = keras.layers.Bidirectional(layer)
    out = _np(bi(X))
    assert out.shape == (3, 6, 6)
    forward = _copy(bi.forward_layer, X)
    np.testing.assert_allclose(out[..., :3], _np(forward(X)), rtol=1e-5, atol=1e-6)
    backward = bi.backward_layer
    assert (
        backward.go_backwards and backward.cell.wiring == bi.forward_layer.cell.wiring
    )


def test_functional_model_with_time_input_all_backends():
    x_in, t_in = keras.Input((None, 4)), keras.Input((None, 1))
    y = CfC(AutoNCP(8, 2), return_sequences=True)((x_in, t_in))
    y = LTC(5, ode_unfolds=1)((y, t_in))
    model = keras.Model([x_in, t_in], keras.layers.Dense(1)(y))
    model.compile("adam", "mse")
    history = model.fit([X, T], np.ones((3, 1)), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
    pred = model.predict([X, T], verbose=0)
    other = model.predict([X, 2 * T], verbose=0)
    assert pred.shape == (3, 1) and np.max(np.abs(pred - other)) > 1e-4


def test_config_keeps_initialization_ranges_and_wiring():
    layer = LTC(AutoNCP(7, 2), initialization_ranges={"cm": (0.2, 0.3)})
    config = layer.get_config()
    assert config["initialization_ranges"] == {"cm": [0.2, 0.3]}
    revived = LTC.from_config(config)
    revived(X)
    cm = keras.ops.softplus(revived.cell.cm)
    assert np.all((_np(cm) > 0.2 - 1e-5) & (_np(cm) < 0.3 + 1e-5))
    assert revived.cell.wiring.get_config() == AutoNCP(7, 2).get_config()


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: CfC(0), r"^CfC: `units`"),
        (
            lambda: CfC(4, mode="fast"),
            r"^CfCCell: `mode` must be one of .*; got mode='fast'",
        ),
        (lambda: CfC(AutoNCP(8, 2), backbone_units=4), r"^CfC: `backbone_units`"),
        (lambda: CfC(4, fully_recurrent=False), r"^CfC: `fully_recurrent`"),
        (lambda: CfCCell(4, backbone_dropout=1.5), r"^CfCCell: `backbone_dropout`"),
        (
            lambda: CfCCell(4, sparsity_mask=np.ones((5, 4))),
            r"^CfCCell: `sparsity_mask`",
        ),
        (lambda: CfCCell(4, activation="nope"), r"^CfCCell: `activation`"),
        (
            lambda: LTC(4, input_mapping="square"),
            r"^LTCCell: `input_mapping` must be one of",
        ),
        (
            lambda: LTC(4, ode_unfolds=0),
            r"^LTCCell: `ode_unfolds` must be a positive int; got ode_unfolds=0",
        ),
        (lambda: LTC("4"), r"^LTC: `units`"),
        (
            lambda: LTCCell(4, initialization_ranges={"tau": (0, 1)}),
            r"^LTCCell: `initialization_ranges` has the unknown key 'tau'",
        ),
        (
            lambda: LTCCell(4, initialization_ranges={"cm": (0.6, 0.4)}),
            r"^LTCCell: `initialization_ranges\['cm'\]` must satisfy 0 <= min <= max; "
            r"got \(0\.6, 0\.4\)",
        ),
        (
            lambda: LTCCell(4, initialization_ranges={"w": (-1, 1)}),
            r"^LTCCell: `initialization_ranges\['w'\]` must satisfy 0 <= min <= max; "
            r"got \(-1, 1\)",
        ),
        (lambda: WiredCfCCell(FullyConnected(4), mode="x"), r"^WiredCfCCell: `mode`"),
        (lambda: WiredCfCCell(4), r"^WiredCfCCell: `wiring`"),
    ],
)
def test_bad_arguments_raise_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs_raise_value_error():
    with pytest.raises(ValueError, match="sparsity_mask"):
        keras.layers.RNN(CfCCell(4, backbone_layers=0, sparsity_mask=np.ones((5, 4))))(
            X
        )
    with pytest.raises(ValueError, match=r"\(batch, time, 1\)"):
        CfC(4)((X, np.concatenate([T, T], -1)))
    with pytest.raises(ValueError, match="same number of steps"):
        CfC(4)((X, T[:, :3]))
    with pytest.raises(ValueError, match="features"):
        CfC(4)(X[0])
    layer = CfC(4)
    layer(X)
    with pytest.raises(ValueError, match="built for inputs"):
        layer((X, T))


def _bit_stream_xor(n, steps, rng):
    """Random bit streams; the target at each step is the XOR of the bits so far."""
    bits = rng.integers(0, 2, size=(n, steps))
    xor = np.cumsum(bits, axis=1) % 2
    return bits[..., None].astype("float32"), xor[..., None].astype("float32")


def test_cfc_learns_bit_stream_xor():
    """The CfC paper's bit-stream XOR, shortened to 6 bits with the running XOR as
    target at every step: >= 95 % accuracy on fresh streams after 64 steps."""
    keras.utils.set_random_seed(1)
    x, y = _bit_stream_xor(256, 6, np.random.default_rng(0))
    x_test, y_test = _bit_stream_xor(256, 6, np.random.default_rng(1))
    model = keras.Sequential(
        [
            keras.Input((6, 1)),
            CfC(16, backbone_units=16, return_sequences=True),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"]
    )
    model.fit(x, y, batch_size=32, epochs=8, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.95
