"""Each cell's step and sequence against its equations written out in numpy."""

import keras
import numpy as np
import pytest
import reference as ref

from kx.ncps import LTC, CfC, CfCCell, LTCCell, MixedMemoryRNN, WiredCfCCell
from kx.ncps.wirings import NCP, AutoNCP, FullyConnected, Random

B, F = 3, 4


def _randomize(layer, seed=0, scale=0.5):
    rng = np.random.default_rng(seed)
    for w in layer.weights:
        w.assign(rng.normal(scale=scale, size=w.shape).astype(w.dtype))


def _run_cell(cell, x, h, t=None):
    inputs = x if t is None else (x, t)
    states = h if isinstance(h, list) else [h]
    out, new = cell(inputs, states)
    new = new if isinstance(new, list | tuple) else [new]
    return keras.ops.convert_to_numpy(out), [keras.ops.convert_to_numpy(s) for s in new]


def _data(seed, n_state):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(B, F)).astype("float32")
    h = rng.normal(size=(B, n_state)).astype("float32")
    t = rng.uniform(0.1, 3.0, size=(B, 1)).astype("float32")
    return x, h, t


@pytest.mark.parametrize("mode", ["default", "no_gate", "pure"])
@pytest.mark.parametrize("backbone_layers", [0, 2])
def test_cfc_cell_step(mode, backbone_layers):
    units = 5
    cell = CfCCell(units, mode=mode, backbone_units=6, backbone_layers=backbone_layers)
    x, h, t = _data(1, units)
    _run_cell(cell, x, h)
    _randomize(cell)
    w = ref.weights_of(cell)
    for dt in (None, t):
        out, new = _run_cell(cell, x, h, dt)
        expected, _ = ref.cfc_step(
            w, x, h, 1.0 if dt is None else t, units, mode, backbone_layers
        )
        np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(new[0], expected, rtol=1e-4, atol=1e-5)


def test_cfc_cell_activation_and_sparsity_mask():
    units = 3
    rng = np.random.default_rng(0)
    mask = (rng.random((F + units, units)) < 0.5).astype("int32")
    cell = CfCCell(units, backbone_layers=0, sparsity_mask=mask)
    x, h, t = _data(2, units)
    _run_cell(cell, x, h)
    _randomize(cell)
    out, _ = _run_cell(cell, x, h, t)
    expected, _ = ref.cfc_step(
        ref.weights_of(cell), x, h, t, units, "default", 0, mask=mask
    )
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    # masked-out inputs have no effect
    cut = np.where(mask[:F].sum(1) == 0)[0]
    if len(cut):
        x2 = x.copy()
        x2[:, cut] += 10.0
        np.testing.assert_allclose(_run_cell(cell, x2, h, t)[0], out, atol=1e-6)

    relu = CfCCell(units, activation="relu", backbone_units=4)
    _run_cell(relu, x, h)
    _randomize(relu, 3)
    w = ref.weights_of(relu)
    expected, _ = ref.cfc_step(
        w, x, h, 1.0, units, "default", 1, act=lambda a: np.maximum(a, 0)
    )
    np.testing.assert_allclose(_run_cell(relu, x, h)[0], expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("mode", ["default", "no_gate", "pure"])
@pytest.mark.parametrize("fully_recurrent", [True, False])
def test_wired_cfc_cell_step(mode, fully_recurrent):
    wiring = NCP(5, 4, 2, 3, 2, 4, 2, seed=3)
    cell = WiredCfCCell(wiring, fully_recurrent=fully_recurrent, mode=mode)
    x, h, t = _data(3, wiring.units)
    _run_cell(cell, x, h)
    _randomize(cell, 1)
    w = ref.weights_of(cell)
    for dt in (None, t):
        out, new = _run_cell(cell, x, h, dt)
        exp_out, exp_state = ref.wired_cfc_step(
            w, cell.wiring, x, h, 1.0 if dt is None else t, mode, fully_recurrent
        )
        np.testing.assert_allclose(out, exp_out, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(new[0], exp_state, rtol=1e-4, atol=1e-5)
    assert cell.wiring is wiring and wiring.is_built()  # built in place, as ncps


@pytest.mark.parametrize(
    "wiring,input_mapping,output_mapping,unfolds",
    [
        (AutoNCP(10, 3), "affine", "affine", 6),
        (FullyConnected(6, 2), "linear", None, 3),
        (Random(7, 7, sparsity_level=0.5), None, "linear", 1),
    ],
)
def test_ltc_cell_step(wiring, input_mapping, output_mapping, unfolds):
    cell = LTCCell(
        wiring,
        input_mapping=input_mapping,
        output_mapping=output_mapping,
        ode_unfolds=unfolds,
        epsilon=1e-6,
    )
    x, v, t = _data(4, wiring.units)
    _run_cell(cell, x, v)
    _randomize(cell, 2)
    w = ref.weights_of(cell)
    for dt in (None, t):
        out, new = _run_cell(cell, x, v, dt)
        exp_out, exp_v = ref.ltc_step(
            w,
            cell.wiring,
            x.astype("float64"),
            v.astype("float64"),
            1.0 if dt is None else t,
            unfolds,
            1e-6,
            input_mapping,
            output_mapping,
        )
        np.testing.assert_allclose(out, exp_out, rtol=2e-4, atol=2e-5)
        np.testing.assert_allclose(new[0], exp_v, rtol=2e-4, atol=2e-5)


def test_ltc_positive_parameters_are_softplus_of_variables():
    cell = LTCCell(4, initialization_ranges={"cm": (0.5, 0.5), "gleak": (0.2, 0.3)})
    cell.build((None, 2))
    np.testing.assert_allclose(ref.softplus(ref.weights_of(cell)["cm"]), 0.5, rtol=1e-5)
    gleak = ref.softplus(ref.weights_of(cell)["gleak"])
    assert np.all((gleak >= 0.2 - 1e-6) & (gleak <= 0.3 + 1e-6))
    # a very negative variable still gives a positive parameter
    cell.w.assign(np.full((4, 4), -50.0, "float32"))
    assert np.all(keras.ops.convert_to_numpy(keras.ops.softplus(cell.w)) > 0)


def _sequence_reference(step, x, t, state):
    outs = []
    for k in range(x.shape[1]):
        out, state = step(x[:, k], t[:, k], state)
        outs.append(out)
    return np.stack(outs, 1), state


@pytest.mark.parametrize("kind", ["cfc", "wired", "ltc", "mixed"])
def test_layer_with_elapsed_time_follows_equations(kind):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 6, F)).astype("float32")
    t = rng.uniform(0.2, 2.5, size=(2, 6, 1)).astype("float32")
    if kind == "cfc":
        layer = CfC(5, backbone_units=6, return_sequences=True)
    elif kind == "wired":
        layer = CfC(AutoNCP(9, 2), mode="no_gate", return_sequences=True)
    elif kind == "ltc":
        layer = LTC(AutoNCP(8, 2), ode_unfolds=4, return_sequences=True)
    else:
        layer = CfC(4, mixed_memory=True, backbone_units=5, return_sequences=True)
    layer((x, t))
    _randomize(layer, 4, scale=0.4)
    cell = layer.cell
    if kind == "cfc":
        w = ref.weights_of(cell)

        def step(xk, tk, h):
            return ref.cfc_step(w, xk, h, tk, 5, "default", 1)

        state = np.zeros((2, 5))
    elif kind == "wired":
        w = ref.weights_of(cell)

        def step(xk, tk, h):
            return ref.wired_cfc_step(w, cell.wiring, xk, h, tk, "no_gate")

        state = np.zeros((2, 9))
    elif kind == "ltc":
        w = ref.weights_of(cell)

        def step(xk, tk, v):
            return ref.ltc_step(w, cell.wiring, xk, v, tk, 4, 1e-8, "affine", "affine")

        state = np.zeros((2, 8))
    else:
        inner = ref.weights_of(cell.rnn_cell)
        outer = {
            name: np.asarray(keras.ops.convert_to_numpy(v), "float64")
            for name, v in (
                ("input_kernel", cell.input_kernel),
                ("recurrent_kernel", cell.recurrent_kernel),
                ("bias", cell.bias),
            )
        }

        def step(xk, tk, s):
            memory, h = s
            feed, memory = ref.lstm_memory(outer, xk, memory, h)
            out, h = ref.cfc_step(inner, feed, h, tk, 4, "default", 1)
            return out, (memory, h)

        state = (np.zeros((2, 4)), np.zeros((2, 4)))
    expected, _ = _sequence_reference(step, x.astype("float64"), t, state)
    got = keras.ops.convert_to_numpy(layer((x, t)))
    np.testing.assert_allclose(got, expected, rtol=2e-4, atol=2e-5)
    # the elapsed time changes the result
    assert np.max(np.abs(got - keras.ops.convert_to_numpy(layer((x, 2 * t))))) > 1e-3
    if kind in ("wired", "mixed"):
        return
    # t = 1 everywhere equals no time input
    plain = keras.ops.convert_to_numpy(_same_weights(layer, x))
    with_ones = _same_weights(layer, x, np.ones_like(t))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(with_ones), plain, atol=1e-5)
    with pytest.raises(ValueError, match="built for inputs"):
        layer(x)


def _same_weights(layer, x, t=None):
    """A layer of the same config and weights, called with x or (x, t)."""
    clone = type(layer).from_config(layer.get_config())
    inputs = x if t is None else (x, t)
    clone(inputs)
    clone.set_weights(layer.get_weights())
    return clone(inputs)


def test_cell_in_plain_keras_rnn_equals_layer():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 5, F)).astype("float32")
    for layer in (CfC(4, backbone_units=6), LTC(5, ode_unfolds=2)):
        layer(x)
        _randomize(layer, 7, 0.3)
        cell_cls = type(layer.cell)
        cell = cell_cls.from_config(layer.cell.get_config())
        rnn = keras.layers.RNN(cell)
        rnn(x)
        cell.set_weights(layer.cell.get_weights())
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(rnn(x)),
            keras.ops.convert_to_numpy(layer(x)),
            rtol=1e-5,
            atol=1e-6,
        )


def test_mixed_memory_cell_step():
    cell = MixedMemoryRNN(LTCCell(AutoNCP(6, 2), ode_unfolds=2))
    x, h, t = _data(8, 6)
    memory = np.random.default_rng(0).normal(size=(B, 6)).astype("float32")
    _run_cell(cell, x, [memory, h])
    _randomize(cell, 5, 0.3)
    inner = ref.weights_of(cell.rnn_cell)
    outer = {
        "input_kernel": np.asarray(cell.input_kernel.numpy(), "float64"),
        "recurrent_kernel": np.asarray(cell.recurrent_kernel.numpy(), "float64"),
        "bias": np.asarray(cell.bias.numpy(), "float64"),
    }
    feed, new_memory = ref.lstm_memory(outer, x, memory, h)
    exp_out, exp_v = ref.ltc_step(
        inner, cell.rnn_cell.wiring, feed, h, t, 2, 1e-8, "affine", "affine"
    )
    out, new = _run_cell(cell, x, [memory, h], t)
    np.testing.assert_allclose(out, exp_out, rtol=2e-4, atol=2e-5)
    np.testing.assert_allclose(new[0], new_memory, rtol=2e-4, atol=2e-5)
    np.testing.assert_allclose(new[1], exp_v, rtol=2e-4, atol=2e-5)


def test_backbone_dropout_only_in_training():
    rng = np.random.default_rng(9)
    x = rng.normal(size=(B, 5, F)).astype("float32")
    layer = CfC(4, backbone_units=32, backbone_dropout=0.5)
    plain = CfC(4, backbone_units=32)
    layer(x), plain(x)
    _randomize(layer, 10, 0.3)
    plain.set_weights(layer.get_weights())
    inference = keras.ops.convert_to_numpy(layer(x, training=False))
    np.testing.assert_allclose(
        inference, keras.ops.convert_to_numpy(plain(x)), rtol=1e-5, atol=1e-6
    )
    first = keras.ops.convert_to_numpy(layer(x, training=True))
    second = keras.ops.convert_to_numpy(layer(x, training=True))
    assert np.isfinite(first).all()
    assert np.abs(first - inference).max() > 1e-3  # dropout changed the output
    assert np.abs(first - second).max() > 1e-3  # a new mask per call
