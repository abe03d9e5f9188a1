"""The liquid time-constant (LTC) solver on a list of synapses.

Hasani et al., "Liquid time-constant networks", AAAI 2021. One step of an LTC
network runs ``unfolds`` steps of the paper's fused semi-implicit Euler solver;
this is that inner loop, the whole cost of an LTC layer, as one function so that
a backend can fuse it (kx.ncps's ``LTCCell`` calls it once per time step).
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from kx.ops import _backend
from kx.ops._operation import dispatch, is_symbolic, memoized
from kx.ops.checks import fail
from kx.ops.float64 import matmul
from kx.ops.types import Tensor

__all__ = ["ltc_unfolds"]


def ltc_unfolds(
    v: Tensor,
    numerator: Tensor,
    denominator: Tensor,
    cm: Tensor,
    sigma: Tensor,
    sigma_mu: Tensor,
    w: Tensor,
    w_erev: Tensor,
    sources: Sequence[int] | np.ndarray | None,
    targets: Sequence[int] | np.ndarray | None,
    unfolds: int,
) -> Tensor:
    """``unfolds`` semi-implicit Euler steps of LTC potentials over synapses.

    With ``S`` synapses ``sources[k] -> targets[k]`` among ``N`` neurons, each
    step computes, for every synapse ``k`` and neuron ``j``,

        s_k = sigmoid(v[sources[k]] * sigma_k - sigma_mu_k)
        v_j <- (numerator_j + cm_j v_j + sum_{k: targets[k] = j} s_k w_erev_k)
               / (denominator_j + sum_{k: targets[k] = j} s_k w_k)

    ``numerator`` and ``denominator`` hold what does not depend on ``v`` (leak
    and sensory currents; ``denominator`` includes ``cm`` and the solver's
    epsilon).

    On torch this is one autograd function with its backward written out, on
    index operations; jax and tensorflow run the loop in ``keras.ops`` with the
    synapse reads and sums as 0/1 matmuls (faster there than gathers and
    scatters). Both give the same values and gradients.

    Dense form: with ``sources`` and ``targets`` both None, every pair ``i -> j``
    is a synapse and ``sigma``, ``sigma_mu``, ``w``, ``w_erev`` are ``(N, N)``
    matrices (row: source, column: target; a zero ``w`` is no synapse). The same
    solver step then reads them by broadcasting, on every backend.

    Args:
        v: potentials, ``(batch, N)``.
        numerator: ``(batch, N)``.
        denominator: ``(batch, N)``.
        cm: the capacitance per solver step, ``(N,)`` or ``(batch, N)``.
        sigma: ``(S,)``.
        sigma_mu: ``sigma * mu``, ``(S,)``.
        w: synapse conductances, ``(S,)``.
        w_erev: ``w * erev``, ``(S,)``.
        sources: the presynaptic neuron of each synapse, ``S`` ints in
            ``[0, N)`` (static: a numpy array or a sequence, not a tensor), or
            None for the dense form.
        targets: the postsynaptic neuron of each synapse, the same (None with
            ``sources``).
        unfolds: the number of solver steps, an int >= 1.

    Returns:
        The potentials after ``unfolds`` steps, ``(batch, N)``.

    Example:

    >>> import numpy as np
    >>> ones = np.ones(2, "float32")
    >>> v = ltc_unfolds(np.zeros((1, 2), "float32"), ones[None], 3 * ones[None],
    ...                 ones, 5 * ones, ones, ones, ones, [0, 1], [1, 0], 6)
    >>> tuple(v.shape)
    (1, 2)
    """
    if isinstance(unfolds, bool) or not isinstance(unfolds, int) or unfolds < 1:
        fail("ltc_unfolds", "unfolds", unfolds, "an int >= 1")
    tensors = [v, numerator, denominator, cm, sigma, sigma_mu, w, w_erev]
    if not is_symbolic(*tensors):
        tensors = [_tensor(x) for x in tensors]
    shape = tuple(tensors[0].shape)
    if len(shape) != 2 or shape[-1] is None:
        raise ValueError(
            "ltc_unfolds: `v` must have shape (batch, N) with a known N; got shape "
            f"{shape}."
        )
    dense = sources is None and targets is None
    synapse_shape: tuple[int, ...]
    src = dest = None
    if dense:
        synapse_shape, what = (shape[-1], shape[-1]), "one value per neuron pair"
    else:
        if sources is None or targets is None:
            raise ValueError(
                "ltc_unfolds: `sources` and `targets` must both be synapse lists or "
                f"both be None (the dense form); got sources={sources!r}, "
                f"targets={targets!r}."
            )
        src = _synapse_list("sources", sources, shape[-1])
        dest = _synapse_list("targets", targets, shape[-1])
        if len(src) != len(dest):
            raise ValueError(
                "ltc_unfolds: `sources` and `targets` must have the same length; got "
                f"{len(src)} and {len(dest)}."
            )
        synapse_shape, what = (len(src),), "one value per synapse"
    names = ("sigma", "sigma_mu", "w", "w_erev")
    for name, x in zip(names, tensors[4:]):
        if tuple(x.shape) != synapse_shape:
            raise ValueError(
                f"ltc_unfolds: `{name}` must have {what}, shape {synapse_shape}; got "
                f"shape {tuple(x.shape)}."
            )
    for name, x in zip(("numerator", "denominator", "cm"), tensors[1:4]):
        if not 1 <= len(x.shape) <= 2 or x.shape[-1] != shape[-1]:
            raise ValueError(
                f"ltc_unfolds: `{name}` must have shape (batch, {shape[-1]}) or "
                f"({shape[-1]},); got shape {tuple(x.shape)}."
            )
    return dispatch(
        _ltc_unfolds,
        _ltc_spec,
        tensors,
        sources=None if src is None else src.tobytes(),
        targets=None if dest is None else dest.tobytes(),
        unfolds=unfolds,
    )


def _ltc_spec(v, *tensors, sources, targets, unfolds):
    return keras.KerasTensor(v.shape, v.dtype)


def _ltc_unfolds(
    v,
    numerator,
    denominator,
    cm,
    sigma,
    sigma_mu,
    w,
    w_erev,
    *,
    sources,
    targets,
    unfolds,
):
    dtype = v.dtype
    args = [v] + [
        _tensor(x, dtype)
        for x in (numerator, denominator, cm, sigma, sigma_mu, w, w_erev)
    ]
    if sources is None:  # dense: (N, N) matrices, read by broadcasting

        def read(v):
            return keras.ops.expand_dims(v, -1)

        def total(x):
            return keras.ops.sum(x, axis=-2)

        return _solver_loop(*args, read, total, unfolds)
    fused = _backend.ltc_unfolds(*args, sources, targets, unfolds)
    if fused is not None:
        return fused
    gather, scatter = _one_hot(sources, targets, v.shape[-1])
    gather = keras.ops.convert_to_tensor(gather, dtype)
    scatter = keras.ops.convert_to_tensor(scatter, dtype)
    return _solver_loop(
        *args,
        lambda v: matmul(v, gather),
        lambda x: matmul(x, scatter),
        unfolds,
    )


def _tensor(x, dtype=None):
    """``x`` as a tensor of ``dtype`` (one the backend's tensors have, or None),
    without a conversion call for a tensor that already is one (called per step)."""
    if keras.ops.is_tensor(x) and (dtype is None or x.dtype == dtype):
        return x
    return keras.ops.convert_to_tensor(x, dtype)


def _synapse_list(name, value, units):
    if keras.ops.is_tensor(value) or is_symbolic(value):
        raise ValueError(
            f"ltc_unfolds: `{name}` must be a static list of neuron indices (numpy "
            "array or "
            f"sequence of ints); got a tensor {value!r}."
        )
    array = value if isinstance(value, np.ndarray) else np.asarray(value)
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
        raise ValueError(
            f"ltc_unfolds: `{name}` must be a 1-d sequence of ints; got {value!r}."
        )
    if array.size and (array.min() < 0 or array.max() >= units):
        raise ValueError(
            f"ltc_unfolds: `{name}` must hold neuron indices in [0, {units}); got "
            "values from "
            f"{array.min()} to {array.max()}."
        )
    return array.astype(np.int64, copy=False)


@memoized
def _one_hot(sources, targets, units):
    """The 0/1 ``gather`` (N, S) and ``scatter`` (S, N) matrices of a synapse list."""
    src = np.frombuffer(sources, dtype=np.int64)
    dest = np.frombuffer(targets, dtype=np.int64)
    gather = np.zeros((units, len(src)), dtype="float32")
    gather[src, np.arange(len(src))] = 1.0
    scatter = np.zeros((len(src), units), dtype="float32")
    scatter[np.arange(len(src)), dest] = 1.0
    return gather, scatter


def _solver_loop(
    v, numerator, denominator, cm, sigma, sigma_mu, w, w_erev, read, total, unfolds
):
    """The one LTC solver step, ``unfolds`` times: ``read(v)`` gives each
    synapse its presynaptic potential, ``total`` sums synapses per target."""
    ops = keras.ops
    for _ in range(unfolds):
        s = ops.sigmoid(read(v) * sigma - sigma_mu)
        v = (numerator + cm * v + total(s * w_erev)) / (denominator + total(s * w))
    return v
