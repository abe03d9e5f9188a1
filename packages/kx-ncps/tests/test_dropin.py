"""kx.ncps as a drop-in for ncps.keras: the user's wiring object, ncps-shaped
configs, Bidirectional, save/load (also of kx 0.1.0 files), and dropout seeds."""

import glob
import json
import os

import keras
import numpy as np
import pytest

from kx.ncps import LTC, CfC, CfCCell, WiredCfCCell
from kx.ncps.wirings import NCP, AutoNCP, FullyConnected, Random

DATA = os.path.join(os.path.dirname(__file__), "data")
RNG = np.random.default_rng(7)
X = RNG.normal(size=(4, 5, 2)).astype("float32")
Y = RNG.normal(size=(4, 1)).astype("float32")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _json(config, drop=()):
    """A config as JSON (Keras reloads tuples as lists), without the keys `drop`."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in drop}
        return [strip(v) for v in value] if isinstance(value, list | tuple) else value

    return json.dumps(strip(config), sort_keys=True)


def _wiring_state(wiring):
    return (
        wiring.get_config(),
        wiring.input_dim,
        None if wiring.adjacency_matrix is None else wiring.adjacency_matrix.copy(),
        None
        if wiring.sensory_adjacency_matrix is None
        else wiring.sensory_adjacency_matrix.copy(),
    )


def _same_wiring_state(a, b):
    return (
        a[:2] == b[:2]
        and np.array_equal(a[2], b[2])
        and (
            (a[3] is None and b[3] is None)
            or (a[3] is not None and b[3] is not None and np.array_equal(a[3], b[3]))
        )
    )


# ------------------------------------------------------------ wiring identity
@pytest.mark.parametrize(
    "make,inputs",
    [
        (lambda w: LTC(w, ode_unfolds=1), 2),
        (lambda w: CfC(w), 2),
        # the wired cell reads the LSTM memory (28 wide), as in ncps
        (lambda w: CfC(w, mixed_memory=True), 28),
        (lambda w: keras.layers.RNN(WiredCfCCell(w)), 2),
    ],
    ids=["ltc", "cfc", "cfc_mixed", "wired_cell"],
)
def test_the_wiring_passed_in_is_the_one_built(make, inputs):
    """ncps's README: build a model on AutoNCP(28, 4), fit, then draw the wiring."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    wiring = AutoNCP(28, 4)
    model = keras.Sequential([keras.layers.InputLayer((None, 2)), make(wiring)])
    model.compile("adam", "mse")
    model.fit(X, np.zeros((4, 4), "float32"), epochs=1, verbose=0)
    assert wiring.is_built() and wiring.input_dim == inputs
    assert wiring.synapse_count > 0 and wiring.sensory_synapse_count > 0
    graph = wiring.get_graph()
    sensory = [n for n, d in graph.nodes(data=True) if d["neuron_type"] == "sensory"]
    assert len(sensory) == inputs and graph.number_of_nodes() == 28 + inputs
    figure = plt.figure()
    handles = wiring.draw_graph(draw_labels=True)
    figure.canvas.draw()  # renders through Agg
    assert len(handles) == 4  # sensory, inter, command, motor
    plt.close(figure)


def test_copies_get_their_own_wiring_and_leave_the_users_alone():
    """keras.layers.Bidirectional remakes both layers from the config, and
    from_config makes a new layer: each copy gets its own wiring from the config,
    equal to the user's, which stays built and unchanged."""
    wiring = NCP(3, 2, 2, 2, 2, 2, 1)
    layer = CfC(wiring, return_sequences=True)
    layer(X)
    assert layer.cell.wiring is wiring and wiring.is_built()
    before = _wiring_state(wiring)
    bi = keras.layers.Bidirectional(layer)
    bi(X)
    clone = CfC.from_config(layer.get_config())
    clone(X)
    for copy in (bi.forward_layer, bi.backward_layer, clone):
        assert copy.cell.wiring is not wiring and copy.cell.wiring == wiring
    assert _same_wiring_state(before, _wiring_state(wiring))


def test_a_built_wiring_cannot_be_rebuilt_for_another_input_size():
    wiring = AutoNCP(8, 2)
    CfC(wiring)(X)
    with pytest.raises(ValueError, match=r"input_dim=2.*input_dim=3.*copy"):
        LTC(wiring)(RNG.normal(size=(2, 5, 3)).astype("float32"))
    other = LTC(AutoNCP(8, 2), ode_unfolds=1)
    other(RNG.normal(size=(2, 5, 3)).astype("float32"))
    assert other.cell.wiring.input_dim == 3 and wiring.input_dim == 2


# --------------------------------------------------------------- config shape
# ncps 1.0.1's keys, in ncps's order, for the same layers (written out from
# ncps.keras 1.0.1's get_config; `nox -s parity` checks them against ncps itself)
RNN_KEYS = [
    "return_sequences",
    "return_state",
    "go_backwards",
    "stateful",
    "unroll",
    "zero_output_for_mask",
    "cell",
]
BASE_KEYS = ["name", "trainable", "dtype"]
CFC_CELL_KEYS = [
    "units",
    "mode",
    "activation",
    "backbone_units",
    "backbone_layers",
    "backbone_dropout",
    "sparsity_mask",
]
WIRED_CELL_KEYS = ["wiring", "fully_recurrent", "mode", "activation"]
LTC_CELL_KEYS = ["wiring", "input_mapping", "output_mapping", "ode_unfolds", "epsilon"]
SERIALIZED = ["module", "class_name", "config", "registered_name"]
EXPECTED = {
    "cfc": (
        lambda: CfC(8),
        [*BASE_KEYS, *CFC_CELL_KEYS, *RNN_KEYS, "mixed_memory", "fully_recurrent"],
        [*BASE_KEYS, *CFC_CELL_KEYS],
    ),
    "cfc_wired": (
        lambda: CfC(AutoNCP(10, 2)),
        [*BASE_KEYS, *WIRED_CELL_KEYS, *RNN_KEYS, "units", "mixed_memory"],
        [*BASE_KEYS, *WIRED_CELL_KEYS],
    ),
    "cfc_mixed": (
        lambda: CfC(8, mixed_memory=True),
        [*BASE_KEYS, *CFC_CELL_KEYS, *RNN_KEYS, "mixed_memory", "fully_recurrent"],
        [*BASE_KEYS, "rnn_cell", "forget_gate_bias"],
    ),
    "ltc": (
        lambda: LTC(AutoNCP(10, 2)),
        [*BASE_KEYS, *LTC_CELL_KEYS, *RNN_KEYS, "units", "mixed_memory"],
        [*BASE_KEYS, *LTC_CELL_KEYS],
    ),
    "ltc_int": (
        lambda: LTC(4),
        [*BASE_KEYS, *LTC_CELL_KEYS, *RNN_KEYS, "units", "mixed_memory"],
        [*BASE_KEYS, *LTC_CELL_KEYS],
    ),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_config_has_ncps_keys_and_nesting(kind):
    make, keys, cell_keys = EXPECTED[kind]
    layer = make()
    config = layer.get_config()
    assert list(config) == keys
    assert list(config["cell"]) == SERIALIZED
    assert list(config["cell"]["config"]) == cell_keys
    config["cell"]["config"].pop("name")  # what ncps users strip to compare
    if kind == "cfc":  # ncps writes the resolved backbone, not None
        assert (config["backbone_units"], config["backbone_layers"]) == (128, 1)
        assert config["backbone_dropout"] == 0.0 and config["units"] == 8
    if kind in ("cfc_wired", "ltc", "ltc_int"):
        assert list(config["units"]) == SERIALIZED
        assert config["units"]["class_name"] == (
            "FullyConnected" if kind == "ltc_int" else "AutoNCP"
        )
        assert config["wiring"] == config["units"]
    if kind == "cfc_mixed":
        inner = config["cell"]["config"]["rnn_cell"]
        assert list(inner) == SERIALIZED and inner["class_name"] == "CfCCell"
    revived = type(layer).from_config(layer.get_config())
    assert revived.get_config() == layer.get_config()


def test_seed_and_initialization_ranges_are_written_only_when_set():
    assert "seed" not in CfC(4).get_config()
    assert CfC(4, backbone_dropout=0.2, seed=5).get_config()["seed"] == 5
    assert "initialization_ranges" not in LTC(4).get_config()
    config = LTC(4, initialization_ranges={"cm": (0.2, 0.3)}).get_config()
    assert config["initialization_ranges"] == {"cm": [0.2, 0.3]}


# --------------------------------------------------------------- Bidirectional
def _differences(a, b, path=()):
    if isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b):
        out = set()
        for key in a:
            out |= _differences(a[key], b[key], (*path, key))
        return out
    return set() if a == b else {path}


NAME_DIFFS = {("name",), ("go_backwards",), ("cell", "config", "name")}
MIXED_DIFFS = NAME_DIFFS | {("cell", "config", "rnn_cell", "config", "name")}
BIDIRECTIONAL = {
    "cfc": (lambda: CfC(4, backbone_units=5, return_sequences=True), NAME_DIFFS),
    "cfc_ncp": (lambda: CfC(NCP(3, 2, 2, 2, 2, 2, 1)), NAME_DIFFS),
    "cfc_random": (lambda: CfC(Random(5, 2, 0.5)), NAME_DIFFS),
    "cfc_mixed": (lambda: CfC(4, backbone_units=5, mixed_memory=True), MIXED_DIFFS),
    "ltc": (lambda: LTC(AutoNCP(8, 2), ode_unfolds=1), NAME_DIFFS),
    "ltc_full": (lambda: LTC(FullyConnected(4), ode_unfolds=1), NAME_DIFFS),
    "ltc_mixed": (lambda: LTC(AutoNCP(8, 2), mixed_memory=True), MIXED_DIFFS),
}


@pytest.mark.parametrize("explicit", [False, True], ids=["implicit", "explicit"])
@pytest.mark.parametrize("kind", sorted(BIDIRECTIONAL))
def test_bidirectional_layers_agree_and_survive_saving(kind, explicit, tmp_path):
    make, expected = BIDIRECTIONAL[kind]
    forward = make()
    backward = None
    if explicit:
        backward = type(forward).from_config(
            {**forward.get_config(), "go_backwards": True, "name": "mine"}
        )
    bi = keras.layers.Bidirectional(forward, backward_layer=backward)
    model = keras.Sequential([keras.Input((5, 2)), bi])
    f_config = bi.forward_layer.get_config()
    b_config = bi.backward_layer.get_config()
    assert _differences(f_config, b_config) == expected
    assert b_config["go_backwards"] and not f_config["go_backwards"]
    path = str(tmp_path / f"{kind}.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert _json(loaded.get_config()) == _json(model.get_config())
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(_np(loaded(X)), _np(model(X)), rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------------ save/load
SAVED = {
    "cfc": lambda: CfC(4, backbone_units=6, return_sequences=True),
    "cfc_ncp": lambda: CfC(AutoNCP(8, 2), mode="no_gate"),
    "cfc_mixed": lambda: CfC(4, mixed_memory=True, backbone_units=5, mode="pure"),
    "ltc": lambda: LTC(NCP(3, 2, 2, 2, 2, 2, 1), ode_unfolds=2),
    "ltc_mixed": lambda: LTC(5, mixed_memory=True, ode_unfolds=2),
}


@pytest.mark.parametrize("kind", sorted(SAVED))
def test_save_and_load_keep_configs_weights_and_outputs(kind, tmp_path):
    model = keras.Sequential([keras.Input((5, 2)), SAVED[kind]()])
    for w in model.weights:  # every weight random, so none loads by luck
        w.assign(RNG.normal(scale=0.3, size=w.shape).astype(w.dtype))
    path = str(tmp_path / f"{kind}.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert _json(loaded.get_config()) == _json(model.get_config())
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(_np(loaded(X)), _np(model(X)), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "path", sorted(glob.glob(os.path.join(DATA, "kx010-*.keras"))), ids=os.path.basename
)
def test_files_written_by_kx_0_1_0_still_load(path):
    """Written by tests/data/make_kx010.py with kx-ncps 0.1.0 on jax."""
    data = np.load(path[: -len(".keras")] + ".npz")
    model = keras.saving.load_model(path)
    np.testing.assert_allclose(_np(model(data["x"])), data["y"], rtol=1e-5, atol=1e-5)
    layer = model.layers[0]
    revived = type(layer).from_config(layer.get_config())
    drop = ("build_config",)  # the loaded cell was built with another batch size
    assert _json(revived.get_config(), drop) == _json(layer.get_config(), drop)


def test_kx_0_1_0_fixtures_are_there():
    assert len(glob.glob(os.path.join(DATA, "kx010-*.keras"))) == 6


# ---------------------------------------------------------------------- seeds
def _dropout_outputs(seed=None, global_seed=None):
    """Training-mode outputs of a CfC with backbone dropout, fixed weights."""
    if global_seed is not None:
        keras.utils.set_random_seed(global_seed)
    layer = CfC(4, backbone_units=16, backbone_dropout=0.5, seed=seed)
    layer.build((None, 5, 2))
    for i, w in enumerate(layer.trainable_weights):
        w.assign(np.random.default_rng(i).normal(size=w.shape).astype(w.dtype))
    return _np(layer(X, training=True))


def test_same_seed_same_masks_different_seeds_different_masks():
    a, b, c = _dropout_outputs(seed=3), _dropout_outputs(seed=3), _dropout_outputs(4)
    np.testing.assert_array_equal(a, b)
    assert np.max(np.abs(a - c)) > 1e-3
    # no dropout outside training
    layer = CfC(4, backbone_units=16, backbone_dropout=0.5, seed=3)
    np.testing.assert_array_equal(_np(layer(X)), _np(layer(X)))


def test_seed_none_follows_the_global_seed_and_differs_between_cells():
    a = _dropout_outputs(global_seed=11)
    b = _dropout_outputs(global_seed=11)
    c = _dropout_outputs(global_seed=12)
    np.testing.assert_array_equal(a, b)
    assert np.max(np.abs(a - c)) > 1e-3
    keras.utils.set_random_seed(11)
    first, second = CfCCell(4, backbone_dropout=0.5), CfCCell(4, backbone_dropout=0.5)
    mask = [
        _np(keras.random.uniform((64,), seed=cell.seed_generator))
        for cell in (first, second)
    ]
    assert np.max(np.abs(mask[0] - mask[1])) > 1e-3  # not one shared stream
