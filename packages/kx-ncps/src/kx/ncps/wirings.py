"""Wirings: the sparse synapse graphs of neural circuit policies.

A wiring says which neuron feeds which (``adjacency_matrix``, shape
``(units, units)``) and which input feature feeds which neuron
(``sensory_adjacency_matrix``, shape ``(input_dim, units)``). An entry is ``0``
(no synapse), ``+1`` (excitatory) or ``-1`` (inhibitory). The sensory part is
drawn when the wiring is built for an input size.

The names, arguments and defaults are those of ``ncps.wirings``. Differences:

* every random draw comes from a generator seeded by the wiring's seed when it is
  made, so two wirings with equal arguments built for equal input sizes are equal,
  whatever happened to them before;
* as in ncps, a layer builds the very wiring object it is given (so
  ``wiring.draw_graph()`` works after ``fit``), and a wiring built for one input
  size cannot be built for another: give each layer of another input size its own
  wiring (``wiring.copy()``). Where Keras copies a layer (the backward layer of
  ``keras.layers.Bidirectional``, ``from_config``, loading), the copy gets a
  wiring of its own made from the config, and the user's object is left as it is;
* every wiring round-trips through ``get_config``/``from_config`` and through
  ``keras.saving.serialize_keras_object``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import keras
import numpy as np

from kx.ops.checks import fail, number, one_of, positive_int
from kx.ops.types import Config, DType, Shape

__all__ = ["AutoNCP", "FullyConnected", "NCP", "Random", "Wiring", "as_wiring"]


def as_wiring(value: Any, name: str = "wiring", owner: str = "kx.ncps") -> Wiring:
    """A :class:`Wiring`, from a wiring or its ``serialize_keras_object`` dict.

    Raises:
        ValueError: naming ``owner`` and ``name`` for anything else.

    Example:

    >>> wiring = AutoNCP(8, 2)
    >>> as_wiring(wiring) is wiring
    True
    >>> as_wiring(keras.saving.serialize_keras_object(wiring)).units
    8
    >>> as_wiring(8, owner="CfC")
    Traceback (most recent call last):
        ...
    ValueError: CfC: `wiring` must be a kx.ncps.wirings.Wiring; got wiring=8 of type ...
    """
    if isinstance(value, dict):
        value = keras.saving.deserialize_keras_object(value)
    if not isinstance(value, Wiring):
        raise ValueError(
            f"{owner}: `{name}` must be a kx.ncps.wirings.Wiring; got {name}="
            f"{value!r} of type {type(value).__name__}."
        )
    return value


@keras.saving.register_keras_serializable(package="kx")
class Wiring:
    """A synapse graph over ``units`` neurons, with explicit adjacency matrices.

    The first ``output_dim`` neurons are the motor (output) neurons.

    Args:
        units: number of neurons (the state size of a wired cell).

    Example:

    >>> w = Wiring(3)
    >>> w.add_synapse(0, 1, -1)
    >>> w.build(2)
    >>> w.add_sensory_synapse(1, 2, 1)
    >>> int(w.synapse_count), int(w.sensory_synapse_count)
    (1, 1)
    """

    def __init__(self, units: int) -> None:
        self.units = positive_int(units, "units", type(self).__name__)
        self.adjacency_matrix: np.ndarray = np.zeros(
            (self.units, self.units), dtype="int32"
        )
        self.sensory_adjacency_matrix: np.ndarray | None = None
        self.input_dim: int | None = None
        self.output_dim: int | None = None

    # ----------------------------------------------------------------- structure
    @property
    def num_layers(self) -> int:
        return 1

    def get_neurons_of_layer(self, layer_id: int) -> list[int]:
        one_of(layer_id, "layer_id", (0,), type(self).__name__)
        return list(range(self.units))

    def get_type_of_neuron(self, neuron_id: int) -> str:
        motor = self.output_dim is not None and neuron_id < self.output_dim
        return "motor" if motor else "inter"

    def is_built(self) -> bool:
        return self.input_dim is not None

    def build(self, input_dim: int) -> None:
        """Fix the number of input features and draw the sensory synapses."""
        input_dim = positive_int(input_dim, "input_dim", type(self).__name__)
        if self.input_dim is not None:
            if self.input_dim != input_dim:
                raise ValueError(
                    f"{type(self).__name__}: this wiring was built for input_dim="
                    f"{self.input_dim}; it cannot be built again for input_dim="
                    f"{input_dim}. A layer builds the wiring it is given: give a "
                    "layer of another input size its own wiring (wiring.copy() "
                    "before building, or a new one)."
                )
            return
        self.set_input_dim(input_dim)
        self._build_sensory()

    def _build_sensory(self):
        """Draw sensory synapses after ``set_input_dim`` (subclasses)."""

    def set_input_dim(self, input_dim: int) -> None:
        self.input_dim = positive_int(input_dim, "input_dim", type(self).__name__)
        self.sensory_adjacency_matrix = np.zeros(
            (self.input_dim, self.units), dtype="int32"
        )

    def set_output_dim(self, output_dim: int | None) -> None:
        output_dim = positive_int(output_dim, "output_dim", type(self).__name__)
        if output_dim > self.units:
            fail(
                type(self).__name__,
                "output_dim",
                output_dim,
                f"at most units={self.units}",
            )
        self.output_dim = output_dim

    def add_synapse(self, src: int, dest: int, polarity: int) -> None:
        self._check_synapse(src, self.units, "src", dest, polarity)
        self.adjacency_matrix[src, dest] = polarity

    def add_sensory_synapse(self, src: int, dest: int, polarity: int) -> None:
        matrix = self.sensory_adjacency_matrix
        if self.input_dim is None or matrix is None:
            raise ValueError(
                f"{type(self).__name__}: build the wiring (`wiring.build(input_dim)`) "
                "before adding sensory synapses."
            )
        self._check_synapse(src, self.input_dim, "src", dest, polarity)
        matrix[src, dest] = polarity

    def _check_synapse(self, src, n_src, src_name, dest, polarity):
        owner = type(self).__name__
        positive_int(src, src_name, owner, allow_zero=True)
        if src >= n_src:
            fail(owner, src_name, src, f"an int in [0, {n_src})")
        positive_int(dest, "dest", owner, allow_zero=True)
        if dest >= self.units:
            fail(owner, "dest", dest, f"an int in [0, {self.units})")
        one_of(polarity, "polarity", (-1, 1), owner)

    def erev_initializer(
        self, shape: Shape | None = None, dtype: DType = None
    ) -> np.ndarray:
        """Reversal potentials initialized to the synapse polarities."""
        return np.array(self.adjacency_matrix, dtype=dtype or "float32")

    def sensory_erev_initializer(
        self, shape: Shape | None = None, dtype: DType = None
    ) -> np.ndarray:
        return np.array(self.sensory_adjacency_matrix, dtype=dtype or "float32")

    @property
    def synapse_count(self) -> int:
        """Number of synapses between the neurons."""
        return int(np.sum(np.abs(self.adjacency_matrix)))

    @property
    def sensory_synapse_count(self) -> int:
        """Number of synapses from the input features to the neurons."""
        if self.sensory_adjacency_matrix is None:
            return 0
        return int(np.sum(np.abs(self.sensory_adjacency_matrix)))

    def copy(self) -> Wiring:
        """An independent deep copy (for another layer of another input size)."""
        return copy.deepcopy(self)

    # --------------------------------------------------------------- serializing
    def get_config(self) -> Config:
        def as_list(matrix):
            return None if matrix is None else np.asarray(matrix).tolist()

        return {
            "units": self.units,
            "adjacency_matrix": as_list(self.adjacency_matrix),
            "sensory_adjacency_matrix": as_list(self.sensory_adjacency_matrix),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
        }

    @classmethod
    def from_config(cls, config: Config) -> Wiring:
        if cls is not Wiring:
            return cls(**config)
        wiring = Wiring(config["units"])
        if config.get("adjacency_matrix") is not None:
            wiring.adjacency_matrix = np.array(config["adjacency_matrix"], "int32")
        if config.get("input_dim") is not None:
            wiring.set_input_dim(config["input_dim"])
        if config.get("sensory_adjacency_matrix") is not None:
            wiring.sensory_adjacency_matrix = np.array(
                config["sensory_adjacency_matrix"], "int32"
            )
        if config.get("output_dim") is not None:
            wiring.set_output_dim(config["output_dim"])
        return wiring

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.get_config() == other.get_config()
            and _same(self.adjacency_matrix, other.adjacency_matrix)
            and _same(self.sensory_adjacency_matrix, other.sensory_adjacency_matrix)
        )

    # defining __eq__ without __hash__ makes wirings unhashable (mutable)

    # ------------------------------------------------------------------- drawing
    def get_graph(self, include_sensory_neurons: bool = True) -> Any:
        """The wiring as a ``networkx.DiGraph`` (imports networkx when called).

        Nodes are ``neuron_<i>`` with a ``neuron_type`` attribute and, when
        ``include_sensory_neurons``, ``sensory_<i>``; edges carry ``polarity``
        (``"excitatory"`` or ``"inhibitory"``).
        """
        if self.input_dim is None or self.sensory_adjacency_matrix is None:
            raise ValueError(
                f"{type(self).__name__}: the wiring is not built: build it with "
                "`wiring.build(input_dim)` or build the layer that uses it "
                "(`layer.cell.wiring`)."
            )
        import networkx as nx

        graph = nx.DiGraph()
        for i in range(self.units):
            graph.add_node(f"neuron_{i}", neuron_type=self.get_type_of_neuron(i))
        edges: list[tuple[str, np.ndarray]] = [("neuron", self.adjacency_matrix)]
        if include_sensory_neurons:
            for i in range(self.input_dim):
                graph.add_node(f"sensory_{i}", neuron_type="sensory")
            edges.append(("sensory", self.sensory_adjacency_matrix))
        for prefix, matrix in edges:
            for src, dest in zip(*np.nonzero(matrix)):
                polarity = "excitatory" if matrix[src, dest] > 0 else "inhibitory"
                graph.add_edge(f"{prefix}_{src}", f"neuron_{dest}", polarity=polarity)
        return graph

    def draw_graph(
        self,
        layout: str = "shell",
        neuron_colors: Mapping[str, str] | None = None,
        synapse_colors: str | Mapping[str, str] | None = None,
        draw_labels: bool = False,
    ) -> Any:
        """Draw the wiring with matplotlib (imported when called).

        Args:
            layout: one of "kamada", "circular", "random", "shell", "spring",
                "spectral", "spiral" (networkx layouts).
            neuron_colors: dict from neuron type to color.
            synapse_colors: a color, or dict from polarity to color.
            draw_labels: draw node names.

        Returns:
            A list of legend handles, one per neuron type.
        """
        import matplotlib.patches as mpatches
        import networkx as nx

        layouts = {
            "kamada": nx.kamada_kawai_layout,
            "circular": nx.circular_layout,
            "random": nx.random_layout,
            "shell": nx.shell_layout,
            "spring": nx.spring_layout,
            "spectral": nx.spectral_layout,
            "spiral": nx.spiral_layout,
        }
        one_of(layout, "layout", sorted(layouts), type(self).__name__)
        if synapse_colors is None:
            synapse_colors = {"excitatory": "tab:green", "inhibitory": "tab:red"}
        elif isinstance(synapse_colors, str):
            synapse_colors = dict.fromkeys(("excitatory", "inhibitory"), synapse_colors)
        colors = {
            "inter": "tab:blue",
            "command": "tab:cyan",
            "motor": "tab:orange",
            "sensory": "tab:olive",
        }
        colors.update(neuron_colors or {})
        graph = self.get_graph()
        pos = layouts[layout](graph)
        for node, data in graph.nodes(data=True):
            nx.draw_networkx_nodes(
                graph, pos, [node], node_color=colors.get(data["neuron_type"], "gray")
            )
        if draw_labels:
            nx.draw_networkx_labels(graph, pos)
        for src, dest, data in graph.edges(data=True):
            nx.draw_networkx_edges(
                graph, pos, [(src, dest)], edge_color=synapse_colors[data["polarity"]]
            )
        types = sorted({d["neuron_type"] for _, d in graph.nodes(data=True)})
        return [
            mpatches.Patch(
                color=colors.get(t, "gray"), label=f"{t.capitalize()} neurons"
            )
            for t in types
        ]


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return np.array_equal(a, b)


def _polarities(rng, n, p_excitatory):
    return np.where(rng.random(n) < p_excitatory, 1, -1)


@keras.saving.register_keras_serializable(package="kx")
class FullyConnected(Wiring):
    """Every neuron feeds every neuron, every input feature every neuron.

    Polarities are excitatory with probability 2/3.

    Args:
        units: number of neurons.
        output_dim: number of motor neurons (outputs), ``units`` when None.
        erev_init_seed: seed of the polarities.
        self_connections: whether a neuron feeds itself.

    Example:

    >>> w = FullyConnected(4, output_dim=2, self_connections=False)
    >>> int(w.synapse_count)
    12
    """

    def __init__(
        self,
        units: int,
        output_dim: int | None = None,
        erev_init_seed: int = 1111,
        self_connections: bool = True,
    ) -> None:
        super().__init__(units)
        self.set_output_dim(self.units if output_dim is None else output_dim)
        self.erev_init_seed = int(erev_init_seed)
        self.self_connections = bool(self_connections)
        rng = np.random.default_rng((self.erev_init_seed, 0))
        self.adjacency_matrix = _polarities(rng, (units, units), 2 / 3).astype("int32")
        if not self.self_connections:
            np.fill_diagonal(self.adjacency_matrix, 0)

    def _build_sensory(self):
        rng = np.random.default_rng((self.erev_init_seed, 1))
        self.sensory_adjacency_matrix = _polarities(
            rng, (self.input_dim, self.units), 2 / 3
        ).astype("int32")

    def get_config(self) -> Config:
        return {
            "units": self.units,
            "output_dim": self.output_dim,
            "erev_init_seed": self.erev_init_seed,
            "self_connections": self.self_connections,
        }


def _random_mask(rng, shape, sparsity_level):
    size = int(np.prod(shape))
    count = int(np.round(size * (1.0 - sparsity_level)))
    mask = np.zeros(size, dtype=bool)
    mask[rng.choice(size, size=count, replace=False)] = True
    return mask.reshape(shape)


@keras.saving.register_keras_serializable(package="kx")
class Random(Wiring):
    """A random fraction ``1 - sparsity_level`` of all possible synapses.

    Args:
        units: number of neurons.
        output_dim: number of motor neurons, ``units`` when None.
        sparsity_level: fraction of synapses left out, in ``[0, 1)``.
        random_seed: seed of the synapses and polarities.

    Example:

    >>> int(Random(10, sparsity_level=0.5).synapse_count)
    50
    """

    def __init__(
        self,
        units: int,
        output_dim: int | None = None,
        sparsity_level: float = 0.0,
        random_seed: int = 1111,
    ) -> None:
        super().__init__(units)
        self.set_output_dim(self.units if output_dim is None else output_dim)
        owner = type(self).__name__
        self.sparsity_level = number(
            sparsity_level, "sparsity_level", owner, 0.0, 1.0, high_open=True
        )
        self.random_seed = positive_int(
            random_seed, "random_seed", owner, allow_zero=True
        )
        rng = np.random.default_rng((self.random_seed, 0))
        self.adjacency_matrix = self._draw(rng, (units, units))

    def _draw(self, rng, shape):
        mask = _random_mask(rng, shape, self.sparsity_level)
        return (mask * _polarities(rng, shape, 2 / 3)).astype("int32")

    def _build_sensory(self):
        rng = np.random.default_rng((self.random_seed, 1))
        self.sensory_adjacency_matrix = self._draw(rng, (self.input_dim, self.units))

    def get_config(self) -> Config:
        return {
            "units": self.units,
            "output_dim": self.output_dim,
            "sparsity_level": self.sparsity_level,
            "random_seed": self.random_seed,
        }


@keras.saving.register_keras_serializable(package="kx")
class NCP(Wiring):
    """A neural circuit policy: sensory -> inter -> command -> motor neurons.

    Neuron ids are ordered motor, command, inter (so the first ``motor_neurons``
    are the outputs). Every inter neuron gets at least one sensory synapse, every
    command neuron at least one inter synapse and feeds at least one motor neuron.
    All synapses and polarities (excitatory or inhibitory with equal probability)
    are drawn when the wiring is built, from a generator seeded by ``seed``.

    Args:
        inter_neurons: number of inter neurons (layer 1).
        command_neurons: number of command neurons (layer 2).
        motor_neurons: number of motor neurons (layer 3, the outputs).
        sensory_fanout: synapses from each input feature to inter neurons.
        inter_fanout: synapses from each inter neuron to command neurons.
        recurrent_command_synapses: synapses among the command neurons.
        motor_fanin: synapses from command neurons into each motor neuron.
        seed: seed of the wiring.

    Example:

    >>> w = NCP(10, 8, 2, 4, 4, 6, 4)
    >>> w.build(3)
    >>> w.units, w.output_dim, int(w.sensory_synapse_count) >= 12
    (20, 2, True)
    """

    def __init__(
        self,
        inter_neurons: int,
        command_neurons: int,
        motor_neurons: int,
        sensory_fanout: int,
        inter_fanout: int,
        recurrent_command_synapses: int,
        motor_fanin: int,
        seed: int = 22222,
    ) -> None:
        inter_neurons = positive_int(
            inter_neurons, "inter_neurons", type(self).__name__
        )
        command_neurons = positive_int(
            command_neurons, "command_neurons", type(self).__name__
        )
        motor_neurons = positive_int(
            motor_neurons, "motor_neurons", type(self).__name__
        )
        super().__init__(inter_neurons + command_neurons + motor_neurons)
        self.set_output_dim(motor_neurons)
        checks = (
            ("sensory_fanout", sensory_fanout, inter_neurons, "inter_neurons"),
            ("inter_fanout", inter_fanout, command_neurons, "command_neurons"),
            ("motor_fanin", motor_fanin, command_neurons, "command_neurons"),
        )
        for name, value, bound, bound_name in checks:
            positive_int(value, name, type(self).__name__)
            if value > bound:
                fail(type(self).__name__, name, value, f"at most {bound_name}={bound}")
        positive_int(
            recurrent_command_synapses,
            "recurrent_command_synapses",
            type(self).__name__,
            allow_zero=True,
        )
        self.inter_neurons = inter_neurons
        self.command_neurons = command_neurons
        self.motor_neurons = motor_neurons
        self.sensory_fanout = int(sensory_fanout)
        self.inter_fanout = int(inter_fanout)
        self.recurrent_command_synapses = int(recurrent_command_synapses)
        self.motor_fanin = int(motor_fanin)
        self.seed = int(seed)
        self._motor = np.arange(motor_neurons)
        self._command = np.arange(motor_neurons, motor_neurons + command_neurons)
        self._inter = np.arange(motor_neurons + command_neurons, self.units)

    @property
    def num_layers(self) -> int:
        return 3

    def get_neurons_of_layer(self, layer_id: int) -> list[int]:
        layers = (self._inter, self._command, self._motor)
        one_of(layer_id, "layer_id", (0, 1, 2), type(self).__name__)
        return [int(i) for i in layers[layer_id]]

    def get_type_of_neuron(self, neuron_id: int) -> str:
        if neuron_id < self.motor_neurons:
            return "motor"
        if neuron_id < self.motor_neurons + self.command_neurons:
            return "command"
        return "inter"

    def _connect(self, rng, matrix, sources, targets, fanout):
        """Each source feeds ``fanout`` targets; unreached targets get fed too."""
        reached = np.zeros(self.units, dtype=bool)
        for src in sources:
            for dest in rng.choice(targets, size=fanout, replace=False):
                matrix[src, dest] = rng.choice((-1, 1))
                reached[dest] = True
        fanin = int(np.clip(len(sources) * fanout // len(targets), 1, len(sources)))
        for dest in targets[~reached[targets]]:
            for src in rng.choice(sources, size=fanin, replace=False):
                matrix[src, dest] = rng.choice((-1, 1))

    def _build_sensory(self):
        rng = np.random.default_rng(self.seed)
        adjacency = np.zeros((self.units, self.units), dtype="int32")
        sensory = self.sensory_adjacency_matrix
        self._connect(
            rng, sensory, np.arange(self.input_dim), self._inter, self.sensory_fanout
        )
        self._connect(rng, adjacency, self._inter, self._command, self.inter_fanout)
        for _ in range(self.recurrent_command_synapses):
            src, dest = rng.choice(self._command, size=2)
            adjacency[src, dest] = rng.choice((-1, 1))
        # command -> motor: each motor neuron has `motor_fanin` command inputs, and
        # every command neuron feeds at least one motor neuron.
        transposed = np.zeros((self.units, self.units), dtype="int32")
        self._connect(rng, transposed, self._motor, self._command, self.motor_fanin)
        adjacency += transposed.T
        self.adjacency_matrix = adjacency

    def get_config(self) -> Config:
        return {
            "inter_neurons": self.inter_neurons,
            "command_neurons": self.command_neurons,
            "motor_neurons": self.motor_neurons,
            "sensory_fanout": self.sensory_fanout,
            "inter_fanout": self.inter_fanout,
            "recurrent_command_synapses": self.recurrent_command_synapses,
            "motor_fanin": self.motor_fanin,
            "seed": self.seed,
        }


@keras.saving.register_keras_serializable(package="kx")
class AutoNCP(NCP):
    """An :class:`NCP` sized from a neuron count, an output count and a sparsity.

    40 % of the non-motor neurons are command neurons, the rest inter neurons;
    the fan-outs are the layer sizes times ``1 - sparsity_level``.

    Args:
        units: total number of neurons.
        output_size: number of motor neurons; less than ``units - 2``.
        sparsity_level: in ``[0.1, 1.0]``, higher is sparser.
        seed: seed of the wiring.

    Example:

    >>> w = AutoNCP(16, 2)
    >>> w.units, w.output_dim
    (16, 2)
    """

    def __init__(
        self,
        units: int,
        output_size: int,
        sparsity_level: float = 0.5,
        seed: int = 22222,
    ) -> None:
        units = positive_int(units, "units", type(self).__name__)
        output_size = positive_int(output_size, "output_size", type(self).__name__)
        if output_size >= units - 2:
            fail(
                type(self).__name__,
                "output_size",
                output_size,
                f"less than units - 2 = {units - 2}",
            )
        self.output_size = output_size
        self.sparsity_level = number(
            sparsity_level, "sparsity_level", type(self).__name__, 0.1, 1.0
        )
        density = 1.0 - self.sparsity_level
        rest = units - output_size
        command = max(int(0.4 * rest), 1)
        inter = rest - command
        super().__init__(
            inter,
            command,
            output_size,
            sensory_fanout=max(int(inter * density), 1),
            inter_fanout=max(int(command * density), 1),
            recurrent_command_synapses=max(int(command * density * 2), 1),
            motor_fanin=max(int(command * density), 1),
            seed=seed,
        )

    def get_config(self) -> Config:
        return {
            "units": self.units,
            "output_size": self.output_size,
            "sparsity_level": self.sparsity_level,
            "seed": self.seed,
        }
