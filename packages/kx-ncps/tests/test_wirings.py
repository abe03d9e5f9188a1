"""Wirings: structure, determinism, serialization, reuse, graphs."""

import json
import subprocess
import sys

import keras
import numpy as np
import pytest

from kx.ncps import wirings
from kx.ncps.wirings import NCP, AutoNCP, FullyConnected, Random, Wiring


def test_fully_connected_counts_and_polarities():
    w = FullyConnected(5, output_dim=2)
    assert w.synapse_count == 25 and w.output_dim == 2
    w.build(3)
    assert w.sensory_synapse_count == 15
    assert set(np.unique(w.adjacency_matrix)) <= {-1, 1}
    no_self = FullyConnected(5, self_connections=False)
    assert no_self.synapse_count == 20
    assert np.all(np.diag(no_self.adjacency_matrix) == 0)


def test_random_sparsity_counts():
    w = Random(10, output_dim=3, sparsity_level=0.7, random_seed=4)
    assert w.synapse_count == 30
    w.build(4)
    assert w.sensory_synapse_count == 12


def _check_ncp_structure(w, n_in):
    inter, command, motor = (w.get_neurons_of_layer(i) for i in range(3))
    adj, sens = w.adjacency_matrix, w.sensory_adjacency_matrix
    assert motor == list(range(w.output_dim))
    # sensory synapses only into inter neurons, each inter neuron reached
    assert np.all(sens[:, command + motor] == 0)
    assert np.all(np.abs(sens[:, inter]).sum(0) >= 1)
    assert np.all(np.abs(sens).sum(1) >= w.sensory_fanout)
    # inter -> command, command -> command, command -> motor only
    allowed = np.zeros_like(adj, dtype=bool)
    allowed[np.ix_(inter, command)] = True
    allowed[np.ix_(command, command)] = True
    allowed[np.ix_(command, motor)] = True
    assert np.all(adj[~allowed] == 0)
    assert np.all(np.abs(adj[np.ix_(inter, command)]).sum(1) >= w.inter_fanout)
    assert np.all(np.abs(adj[np.ix_(command, motor)]).sum(0) >= w.motor_fanin)
    assert np.all(np.abs(adj[np.ix_(command, motor)]).sum(1) >= 1)
    assert np.all(np.abs(adj[np.ix_(inter, command)]).sum(0) >= 1)
    assert sens.shape == (n_in, w.units)


def test_ncp_structure():
    w = NCP(
        10,
        6,
        3,
        sensory_fanout=4,
        inter_fanout=3,
        recurrent_command_synapses=5,
        motor_fanin=2,
    )
    w.build(5)
    _check_ncp_structure(w, 5)
    assert [w.get_type_of_neuron(i) for i in (0, 3, 9, 18)] == [
        "motor",
        "command",
        "inter",
        "inter",
    ]


@pytest.mark.parametrize(
    "units,out,sparsity", [(16, 2, 0.5), (64, 8, 0.5), (20, 5, 0.9)]
)
def test_auto_ncp_sizes(units, out, sparsity):
    w = AutoNCP(units, out, sparsity_level=sparsity)
    rest = units - out
    command = max(int(0.4 * rest), 1)
    assert (w.inter_neurons, w.command_neurons, w.motor_neurons) == (
        rest - command,
        command,
        out,
    )
    assert w.units == units
    assert w.motor_fanin == max(int(command * (1 - sparsity)), 1)
    w.build(3)
    _check_ncp_structure(w, 3)


@pytest.mark.parametrize(
    "make",
    [
        lambda: FullyConnected(6, 2, erev_init_seed=3),
        lambda: Random(6, 2, sparsity_level=0.4),
        lambda: AutoNCP(12, 3, seed=5),
        lambda: NCP(5, 4, 2, 3, 2, 3, 2),
    ],
)
def test_deterministic_serializable_and_reusable(make):
    a, b = make(), make()
    b.build(4)  # building one must not change the other
    a_copy = a.copy()
    a_copy.build(4)
    assert a_copy == b
    assert not a.is_built()
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(b)))
    revived = keras.saving.deserialize_keras_object(config)
    revived.build(4)
    assert revived == b
    assert type(b).from_config(b.get_config()).get_config() == b.get_config()


def test_seed_changes_wiring():
    a, b = AutoNCP(20, 3, seed=1), AutoNCP(20, 3, seed=2)
    a.build(4)
    b.build(4)
    assert not np.array_equal(a.adjacency_matrix, b.adjacency_matrix)


def test_base_wiring_round_trip_and_synapses():
    w = Wiring(3)
    w.set_output_dim(1)
    w.add_synapse(0, 2, -1)
    w.build(2)
    w.add_sensory_synapse(1, 0, 1)
    revived = Wiring.from_config(json.loads(json.dumps(w.get_config())))
    assert revived == w and revived.synapse_count == 1
    assert revived.sensory_synapse_count == 1
    np.testing.assert_array_equal(w.erev_initializer(), w.adjacency_matrix)


def test_rebuild_conflict_and_bad_arguments():
    w = FullyConnected(4)
    w.build(3)
    w.build(3)
    with pytest.raises(ValueError, match="input_dim=3"):
        w.build(5)
    with pytest.raises(
        ValueError,
        match=r"^FullyConnected: `polarity` must be one of \[-1, 1\]; "
        r"got polarity=2\.$",
    ):
        w.add_synapse(0, 1, 2)
    with pytest.raises(
        ValueError,
        match=r"^FullyConnected: `dest` must be an int in \[0, 4\); got dest=9",
    ):
        w.add_synapse(0, 9, 1)
    with pytest.raises(
        ValueError,
        match=r"^FullyConnected: `src` must be a non-negative int; got src=-1",
    ):
        w.add_synapse(-1, 0, 1)
    with pytest.raises(
        ValueError,
        match=r"^Random: `sparsity_level` must be a number in \[0, 1\); "
        r"got sparsity_level=1\.0\.$",
    ):
        Random(4, sparsity_level=1.0)
    with pytest.raises(
        ValueError,
        match=r"^AutoNCP: `output_size` must be less than units - 2 = 8; "
        r"got output_size=8",
    ):
        AutoNCP(10, 8)
    with pytest.raises(
        ValueError, match=r"^AutoNCP: `sparsity_level` must be a number in \[0\.1, 1\]"
    ):
        AutoNCP(10, 2, sparsity_level=0.05)
    with pytest.raises(
        ValueError,
        match=r"^NCP: `motor_fanin` must be at most command_neurons=3; "
        r"got motor_fanin=4",
    ):
        NCP(4, 3, 2, 2, 2, 1, motor_fanin=4)
    with pytest.raises(
        ValueError, match=r"^NCP: `recurrent_command_synapses` must be a non-negative"
    ):
        NCP(4, 3, 2, 2, 2, True, motor_fanin=2)
    with pytest.raises(
        ValueError,
        match=r"^FullyConnected: `units` must be a positive int; got units=0",
    ):
        FullyConnected(0)
    with pytest.raises(
        ValueError, match=r"^FullyConnected: `output_dim` must be at most units=3"
    ):
        FullyConnected(3, output_dim=4)
    with pytest.raises(
        ValueError, match=r"^NCP: `layer_id` must be one of \[0, 1, 2\]"
    ):
        NCP(4, 3, 2, 2, 2, 1, motor_fanin=2).get_neurons_of_layer(3)
    with pytest.raises(ValueError, match="^FullyConnected: the wiring is not built"):
        FullyConnected(3).get_graph()
    with pytest.raises(ValueError, match="^Wiring: build the wiring"):
        Wiring(3).add_sensory_synapse(0, 0, 1)


def test_graph_matches_matrices_and_draws():
    w = AutoNCP(10, 2)
    w.build(3)
    graph = w.get_graph()
    assert graph.number_of_edges() == w.synapse_count + w.sensory_synapse_count
    assert graph.number_of_nodes() == 13
    inhibitory = sum(d["polarity"] == "inhibitory" for *_, d in graph.edges(data=True))
    assert inhibitory == int(np.sum(w.adjacency_matrix < 0)) + int(
        np.sum(w.sensory_adjacency_matrix < 0)
    )
    assert w.get_graph(include_sensory_neurons=False).number_of_nodes() == 10
    import matplotlib

    matplotlib.use("Agg")
    handles = w.draw_graph(layout="spring", draw_labels=True, synapse_colors="black")
    assert {h.get_label() for h in handles} == {
        "Inter neurons",
        "Command neurons",
        "Motor neurons",
        "Sensory neurons",
    }
    with pytest.raises(ValueError, match=r"^\w+: `layout` must be one of \["):
        w.draw_graph(layout="nope")


def test_networkx_and_matplotlib_imported_lazily():
    # keras itself may import matplotlib; the wirings must add neither library.
    code = (
        "import sys, keras; before = set(sys.modules); "
        "import kx.ncps.wirings as w; a = w.AutoNCP(8, 2); a.build(2); "
        "new = set(sys.modules) - before; "
        "print(any(m.split('.')[0] in ('networkx', 'matplotlib') for m in new))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": ":".join(sys.path), "KERAS_BACKEND": keras.config.backend()},
    )
    assert out.stdout.split()[-1] == "False"


def test_module_names():
    assert {"Wiring", "FullyConnected", "Random", "NCP", "AutoNCP"} <= set(
        wirings.__all__
    )
