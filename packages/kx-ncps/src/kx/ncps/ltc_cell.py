"""The liquid time-constant (LTC) cell.

Hasani et al., "Liquid time-constant networks", AAAI 2021. The neuron
potentials ``v`` follow

    cm dv/dt = gleak (vleak - v) + sum_i w_ij s_ij(v_i) (erev_ij - v_j)
    s_ij(v_i) = sigmoid(sigma_ij (v_i - mu_ij))

over synapses ``i -> j`` of the wiring, plus the same sum over the sensory
synapses from the (mapped) inputs. One step of elapsed time ``dt`` takes
``ode_unfolds`` steps of the fused semi-implicit Euler solver of the paper, each

    v <- (cm_t v + gleak vleak + sum_i w s (v) erev)
         / (cm_t + gleak + sum_i w s(v) + epsilon),    cm_t = cm * ode_unfolds / dt

with the sensory sums computed once per step. ``gleak``, ``cm``, ``w`` and
``sensory_w`` must stay positive: each is stored as an unconstrained variable
``r`` and used as ``softplus(r)``, which is positive for every finite ``r``, so
training cannot drive it to zero (ncps clips with ``NonNeg``, which can).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import keras
import numpy as np

import kx.ops
from kx.ncps.base import ContinuousCell
from kx.ncps.wirings import FullyConnected, Wiring, as_wiring
from kx.ops import checks
from kx.ops.types import Config, Shape, Tensor

__all__ = ["DEFAULT_INITIALIZATION_RANGES", "LTCCell", "ranges_config"]

DEFAULT_INITIALIZATION_RANGES = {
    "gleak": (0.001, 1.0),
    "vleak": (-0.2, 0.2),
    "cm": (0.4, 0.6),
    "w": (0.001, 1.0),
    "sigma": (3.0, 8.0),
    "mu": (0.3, 0.8),
    "sensory_w": (0.001, 1.0),
    "sensory_sigma": (3.0, 8.0),
    "sensory_mu": (0.3, 0.8),
}
POSITIVE = ("gleak", "cm", "w", "sensory_w")
_MAPPINGS = ("affine", "linear", None)


def inverse_softplus(y):
    """``r`` with ``softplus(r) = y`` (numpy, ``y > 0``)."""
    y = np.asarray(y, dtype="float64")
    return np.where(y > 30.0, y, np.log(np.expm1(np.minimum(y, 30.0))))


class _RangeInitializer:
    """Uniform in a range; for positive parameters, the softplus pre-image."""

    def __init__(self, low, high, positive) -> None:
        self.low, self.high, self.positive = float(low), float(high), positive
        self.uniform = keras.initializers.RandomUniform(self.low, self.high)

    def __call__(self, shape, dtype=None):
        if self.low == self.high:
            values = np.full(shape, self.low)
        else:
            values = keras.ops.convert_to_numpy(self.uniform(shape, "float32"))
        if self.positive:
            values = inverse_softplus(np.maximum(values, 1e-6))
        return keras.ops.convert_to_tensor(values, dtype=dtype)


def ranges_config(
    ranges: Mapping[str, Any] | None,
) -> dict[str, list[float]] | None:
    """``initialization_ranges`` as JSON-friendly lists (None stays None).

    Example:

    >>> ranges_config({"gleak": (0.001, 1), "cm": [0.4, 0.6]})
    {'gleak': [0.001, 1.0], 'cm': [0.4, 0.6]}
    >>> ranges_config(None) is None
    True
    """
    if ranges is None:
        return None
    return {key: [float(v) for v in value] for key, value in ranges.items()}


def _check_ranges(initialization_ranges):
    ranges = dict(DEFAULT_INITIALIZATION_RANGES)
    if initialization_ranges is None:
        return ranges
    if not isinstance(initialization_ranges, dict):
        raise ValueError(
            "LTCCell: `initialization_ranges` must be a dict from parameter name to "
            f"(min, max); got initialization_ranges={initialization_ranges!r}."
        )
    for key, value in initialization_ranges.items():
        if key not in ranges:
            raise ValueError(
                f"LTCCell: `initialization_ranges` has the unknown key {key!r}; "
                f"the keys are {sorted(ranges)}."
            )
        try:
            low, high = (float(v) for v in value)
        except (TypeError, ValueError):
            raise ValueError(
                f"LTCCell: `initialization_ranges[{key!r}]` must be a pair (min, "
                f"max); got {value!r}."
            ) from None
        if low > high or (key in POSITIVE and low < 0):
            raise ValueError(
                f"LTCCell: `initialization_ranges[{key!r}]` must satisfy "
                + ("0 <= " if key in POSITIVE else "")
                + f"min <= max; got {value!r}."
            )
        ranges[key] = (low, high)
    return ranges


@keras.saving.register_keras_serializable(package="kx")
class LTCCell(ContinuousCell):
    """A liquid time-constant cell (one step); see the module docstring.

    Args:
        wiring: a :class:`kx.ncps.wirings.Wiring`, or an int for a
            :class:`~kx.ncps.wirings.FullyConnected` wiring of that many neurons.
            The cell builds the wiring object it is given (``cell.wiring is
            wiring``), as ncps does.
        input_mapping: "affine" (``x * input_w + input_b``), "linear"
            (``x * input_w``) or None, applied to the inputs.
        output_mapping: the same, applied to the motor neurons' potentials.
        ode_unfolds: solver steps per time step.
        epsilon: added to the solver's denominator.
        initialization_ranges: dict overriding the uniform initialization range
            ``(min, max)`` of any of gleak, vleak, cm, w, sigma, mu, sensory_w,
            sensory_sigma, sensory_mu.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: ``(batch, features)``, or ``(x, t)`` with ``t`` of shape
            ``(batch, 1)``.
        states: a list with the potentials of shape ``(batch, wiring.units)``.
        training: unused.

    Example:

    >>> import keras
    >>> rnn = keras.layers.RNN(LTCCell(6))
    >>> tuple(rnn(keras.ops.ones((2, 5, 3))).shape)
    (2, 6)
    """

    def __init__(
        self,
        wiring: int | Wiring | Config,
        input_mapping: Literal["affine", "linear"] | None = "affine",
        output_mapping: Literal["affine", "linear"] | None = "affine",
        ode_unfolds: int = 6,
        epsilon: float = 1e-8,
        initialization_ranges: Mapping[str, tuple[float, float] | float] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        if isinstance(wiring, int) and not isinstance(wiring, bool):
            wiring = FullyConnected(checks.positive_int(wiring, "wiring", owner))
        self.wiring = as_wiring(wiring, "wiring", owner)
        for name, value in (
            ("input_mapping", input_mapping),
            ("output_mapping", output_mapping),
        ):
            checks.one_of(value, name, _MAPPINGS, owner)
        ode_unfolds = checks.positive_int(ode_unfolds, "ode_unfolds", owner)
        epsilon = checks.number(epsilon, "epsilon", owner, low=0.0)
        self.input_mapping = input_mapping
        self.output_mapping = output_mapping
        self.ode_unfolds = ode_unfolds
        self.epsilon = float(epsilon)
        self.initialization_ranges = initialization_ranges
        self._ranges = _check_ranges(initialization_ranges)
        self.state_size = self.wiring.units
        self.output_size = self.wiring.output_dim

    @property
    def sensory_size(self) -> int | None:
        return self.wiring.input_dim

    @property
    def motor_size(self) -> int | None:
        return self.wiring.output_dim

    def _param(self, name, shape):
        low, high = self._ranges[name]
        return self.add_weight(
            name=name,
            shape=shape,
            initializer=_RangeInitializer(low, high, name in POSITIVE),
        )

    def build(self, input_shape: Shape) -> None:
        n_in = self.input_features(input_shape)
        self.wiring.build(n_in)
        n = self.wiring.units
        self.gleak = self._param("gleak", (n,))
        self.vleak = self._param("vleak", (n,))
        self.cm = self._param("cm", (n,))
        self.sigma = self._param("sigma", (n, n))
        self.mu = self._param("mu", (n, n))
        self.w = self._param("w", (n, n))
        self.erev = self.add_weight(
            name="erev", shape=(n, n), initializer=self.wiring.erev_initializer
        )
        self.sensory_sigma = self._param("sensory_sigma", (n_in, n))
        self.sensory_mu = self._param("sensory_mu", (n_in, n))
        self.sensory_w = self._param("sensory_w", (n_in, n))
        self.sensory_erev = self.add_weight(
            name="sensory_erev",
            shape=(n_in, n),
            initializer=self.wiring.sensory_erev_initializer,
        )
        self._mask = np.abs(self.wiring.adjacency_matrix).astype("float32")
        sensory = self.wiring.sensory_adjacency_matrix
        assert sensory is not None  # the wiring was built above
        self._sensory_mask = np.abs(sensory).astype("float32")
        src, dest = np.nonzero(self._mask)
        # sparse wirings (at most half the possible synapses) run on synapse lists
        self._sparse = len(src) <= 0.5 * n * n
        self._synapses = (
            src.astype("int64"),
            dest.astype("int64"),
            (src * n + dest).astype("int32"),
        )
        self.input_w = self.input_b = self.output_w = self.output_b = None
        m = self.wiring.output_dim
        if self.input_mapping in ("affine", "linear"):
            self.input_w = self.add_weight(
                name="input_w", shape=(n_in,), initializer="ones"
            )
        if self.input_mapping == "affine":
            self.input_b = self.add_weight(
                name="input_b", shape=(n_in,), initializer="zeros"
            )
        if self.output_mapping in ("affine", "linear"):
            self.output_w = self.add_weight(
                name="output_w", shape=(m,), initializer="ones"
            )
        if self.output_mapping == "affine":
            self.output_b = self.add_weight(
                name="output_b", shape=(m,), initializer="zeros"
            )

    def step_functions(
        self, x: Tensor, training: bool | None, timed: bool = False
    ) -> Any:
        ops = keras.ops
        dtype = x.dtype
        t = ops.convert_to_tensor
        softplus = ops.softplus
        gleak, cm = softplus(t(self.gleak)), softplus(t(self.cm))
        leak = gleak * t(self.vleak)
        sigma = t(self.sigma)
        sigma_mu = sigma * t(self.mu)
        w = softplus(t(self.w)) * t(self._mask, dtype)
        w_erev = w * t(self.erev)
        s_sigma = t(self.sensory_sigma)
        s_sigma_mu = s_sigma * t(self.sensory_mu)
        s_w = softplus(t(self.sensory_w)) * t(self._sensory_mask, dtype)
        s_w_erev = s_w * t(self.sensory_erev)
        in_w = None if self.input_w is None else t(self.input_w)
        in_b = None if self.input_b is None else t(self.input_b)
        out_w = None if self.output_w is None else t(self.output_w)
        out_b = None if self.output_b is None else t(self.output_b)
        unfolds, eps, n, m = (
            self.ode_unfolds,
            self.epsilon,
            self.state_size,
            self.motor_size,
        )

        # cm per solver step; without elapsed times (a step of 1) it and epsilon
        # go into the projected denominator, once per sequence
        cm_steps = cm * unfolds
        denominator_bias = gleak if timed else gleak + cm_steps + eps

        def project(x):
            if in_w is not None:
                x = x * in_w
            if in_b is not None:
                x = x + in_b
            s = ops.sigmoid(ops.expand_dims(x, -1) * s_sigma - s_sigma_mu)
            numerator = ops.sum(s * s_w_erev, axis=-2)
            denominator = ops.sum(s * s_w, axis=-2)
            return ops.concatenate(
                [numerator + leak, denominator + denominator_bias], axis=-1
            )

        sources: np.ndarray | None
        targets: np.ndarray | None
        if self._sparse:
            # only the wiring's synapses, as lists (kx.ops.ltc_unfolds)
            src, dest, flat = self._synapses

            def pick(matrix):
                return ops.take(ops.reshape(matrix, (-1,)), flat)

            sigma, sigma_mu = pick(sigma), pick(sigma_mu)
            w, w_erev = pick(w), pick(w_erev)

            sources, targets = src, dest
        else:
            # every pair, as (N, N) matrices: kx.ops.ltc_unfolds's dense form
            sources = targets = None

        def solve(v, numerator, denominator, cm_t):
            return kx.ops.ltc_unfolds(
                v,
                numerator,
                denominator,
                cm_t,
                sigma,
                sigma_mu,
                w,
                w_erev,
                sources,
                targets,
                unfolds,
            )

        def step(p, dt, states):
            numerator, denominator = ops.split(p, 2, axis=-1)
            if dt is None:
                cm_t = cm_steps
            else:
                cm_t = cm_steps / dt
                denominator = denominator + cm_t + eps
            v = solve(states[0], numerator, denominator, cm_t)
            out = v[:, :m] if m < n else v
            if out_w is not None:
                out = out * out_w
            if out_b is not None:
                out = out + out_b
            return out, [v]

        return project, step

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "wiring": keras.saving.serialize_keras_object(self.wiring),
                "input_mapping": self.input_mapping,
                "output_mapping": self.output_mapping,
                "ode_unfolds": self.ode_unfolds,
                "epsilon": self.epsilon,
            }
        )
        if self.initialization_ranges is not None:
            # only when set: ncps's configs have no such key (ncps loses it)
            config["initialization_ranges"] = ranges_config(self.initialization_ranges)
        return config
