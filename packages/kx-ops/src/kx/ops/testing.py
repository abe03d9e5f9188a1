"""The kx test harness: :func:`run_layer_test` for layers, :func:`run_model_test`
for models.

Every public layer in the kx packages is tested with :func:`run_layer_test`, every
public model with :func:`run_model_test` (its checks are listed in its docstring),
on the jax, tensorflow and torch backends. It uses public Keras APIs only and raises
:class:`AssertionError` with a message that names the property that broke, so it
works under pytest, unittest or a plain script. Use it for your own layers too.

The checks, each of which can be switched off by an argument:

* ``get_config``/``from_config`` round trip with equal JSON, and the class is
  registered serializable;
* eager and symbolic (``keras.Input``) calls agree on output shape and dtype, and so
  does ``compute_output_shape`` when the layer defines it;
* trainable, non-trainable and parameter counts;
* ``model.save("x.keras")`` and ``keras.saving.load_model`` give equal outputs;
* one ``fit`` step gives a finite loss and changes the trainable weights, then
  ``evaluate`` and ``predict`` run: eagerly in a Sequential model (functional for
  several inputs) and, in a subclassed model, with ``jit_compile=True`` on jax and
  tensorflow; compiled and eager ``predict`` agree;
* ``mixed_float16`` and ``mixed_bfloat16`` policies: outputs in the compute dtype,
  variables in float32;
* ``dtype="float64"``: outputs and variables in float64.

:func:`run_layer_test` and :func:`run_model_test` each show a call in their examples.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeGuard

import keras
import numpy as np

from kx.ops.types import Layer, Tensor

__all__ = [
    "SubclassedModel",
    "backend_grad",
    "compiled_call",
    "compiled_function",
    "random_inputs",
    "run_layer_test",
    "run_model_test",
]

_FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")

# the annotations' names for input shapes (one, or one per input) and expected
# output shapes (None: any size)
InputShape = Sequence[int] | Sequence[Sequence[int]]
OutputShape = Sequence[int | None] | Sequence[Sequence[int | None]]

_POLICY_TOLERANCE = {
    # relative L2 error of an output against the float32 output of the same
    # weights: float16 keeps 11 significant bits and bfloat16 8, and a small test
    # layer chains a few dozen roundings; float64 against float32 differs by
    # float32 rounding only
    "mixed_float16": 2e-2,
    "mixed_bfloat16": 1e-1,
    "float64": 1e-4,
}


def _fail(check, message):
    raise AssertionError(f"[{check}] {message}")


def _check(name):
    """Report any error raised inside a check as a failure of that check.

    A check that runs under several names (the dtype policies) takes its name in
    the ``policy`` keyword argument."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except AssertionError:
                raise
            except Exception as error:
                check = kwargs.get("policy", name)
                raise AssertionError(
                    f"[{check}] {type(error).__name__}: {error}"
                ) from error

        return wrapper

    return decorate


def _is_shape(value: Any) -> TypeGuard[Sequence[int]]:
    return isinstance(value, tuple | list) and all(
        v is None or isinstance(v, int) for v in value
    )


def _iter_shapes(structure):
    if _is_shape(structure):
        yield tuple(structure)
        return
    if isinstance(structure, dict):
        for key in sorted(structure):
            yield from _iter_shapes(structure[key])
        return
    for item in structure:
        yield from _iter_shapes(item)


def random_inputs(
    input_shape: InputShape, dtype: str = "float32", seed: int = 0
) -> np.ndarray | list[np.ndarray]:
    """Seeded standard-normal inputs for one shape or a list of shapes.

    Args:
        input_shape: a shape tuple (no ``None``), or a list of them for a layer
            with several inputs.
        dtype: numpy dtype name of the arrays.
        seed: seed of the generator.

    Returns:
        A numpy array, or a list of arrays when ``input_shape`` is a list of shapes.

    Example:

    >>> x = random_inputs((2, 3))
    >>> x.shape, x.dtype.name
    ((2, 3), 'float32')
    >>> [a.shape for a in random_inputs([(2, 3), (2, 5)], dtype="float64")]
    [(2, 3), (2, 5)]
    >>> bool((random_inputs((4,), seed=1) == random_inputs((4,), seed=1)).all())
    True
    """
    rng = np.random.default_rng(seed)
    if _is_shape(input_shape):
        return rng.standard_normal(tuple(input_shape)).astype(dtype)
    return [rng.standard_normal(s).astype(dtype) for s in _iter_shapes(input_shape)]


def _construct(layer_cls, init_kwargs):
    """A new instance; layer arguments (wrapped layers) are cloned from their config,
    so that no two instances share an inner layer that an earlier check built."""

    def fresh(value):
        if isinstance(value, keras.layers.Layer):
            return type(value).from_config(value.get_config())
        return value

    return layer_cls(**{key: fresh(value) for key, value in init_kwargs.items()})


def _to_numpy(x):
    return keras.ops.convert_to_numpy(x)


def _dtype(x):
    return keras.backend.standardize_dtype(x.dtype)


def _flat(x):
    return keras.tree.flatten(x)


def _eager_outputs(model: Any, data: Any) -> list[np.ndarray]:
    """The outputs of an eager call, as numpy arrays. The value checks (saving,
    nesting, the training targets) call models eagerly: a ``predict`` traces and
    compiles a new program for every model object, and the compiled paths have
    checks of their own (``jit``, the ``predict`` after ``fit``)."""
    return [np.asarray(_to_numpy(o)) for o in _flat(model(_model_inputs(data)))]


def _cast_inputs(data, dtype):
    def cast(a):
        a = np.asarray(a)
        if a.dtype.kind == "f":
            return a.astype(dtype)
        return a

    return keras.tree.map_structure(cast, data)


def _symbolic_inputs(data, dtype=None):
    """keras.Input placeholders with the data's shapes and a free batch dimension."""

    def make(a):
        a = np.asarray(a)
        d = dtype if (dtype is not None and a.dtype.kind == "f") else str(a.dtype)
        return keras.Input(shape=a.shape[1:], dtype=d)

    return keras.tree.map_structure(make, data)


def _model_inputs(data):
    return data[0] if isinstance(data, list) and len(data) == 1 else data


def _shape_matches(actual, expected):
    if len(actual) != len(expected):
        return False
    return all(e is None or a is None or a == e for a, e in zip(actual, expected))


def _close(a, b, atol, rtol):
    return np.allclose(
        np.asarray(a, dtype="float64"),
        np.asarray(b, dtype="float64"),
        atol=atol,
        rtol=rtol,
        equal_nan=False,
    )


class SubclassedModel(keras.Model):
    """A subclassed model around one layer, for the model-kind checks.

    Args:
        layer: the layer to call.
        call_kwargs: keyword arguments of every call of ``layer``.

    Example:

    >>> import keras, numpy as np
    >>> model = SubclassedModel(keras.layers.Dense(3))
    >>> tuple(model(np.ones((2, 4), "float32")).shape)
    (2, 3)
    >>> model = SubclassedModel(keras.layers.Dropout(0.5), {"training": False})
    >>> keras.ops.convert_to_numpy(model(np.ones((1, 2), "float32"))).tolist()
    [[1.0, 1.0]]
    """

    def __init__(
        self,
        layer: Layer,
        call_kwargs: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.inner = layer
        self.call_kwargs = dict(call_kwargs or {})

    def call(self, inputs: Tensor) -> Tensor:
        return self.inner(inputs, **self.call_kwargs)


def _build_model(layer, data, dtype=None, kind="functional", call_kwargs=None):
    """Wrap ``layer`` in a functional, Sequential or subclassed model (functional
    instead of Sequential when the layer needs call arguments or several inputs)."""
    call_kwargs = dict(call_kwargs or {})
    inputs = _model_inputs(_symbolic_inputs(data, dtype))
    if kind == "sequential" and not isinstance(inputs, list | dict) and not call_kwargs:
        return keras.Sequential([inputs, layer])
    if kind == "subclassed":
        model = SubclassedModel(layer, call_kwargs)
        model(_model_inputs(data))
        return model
    return keras.Model(inputs, layer(inputs, **call_kwargs))


@_check("config")
def _check_config(layer_cls, init_kwargs):
    layer = _construct(layer_cls, init_kwargs)
    config = layer.get_config()
    missing = sorted(set(init_kwargs) - set(config))
    if missing:
        _fail(
            "config",
            f"get_config() lacks the constructor argument(s) {missing}: a layer "
            "rebuilt from its config would differ.",
        )
    try:
        text = json.dumps(config, sort_keys=True)
    except TypeError as error:
        _fail("config", f"get_config() is not JSON serializable: {error}")
    revived = layer_cls.from_config(config)
    revived_text = json.dumps(revived.get_config(), sort_keys=True)
    if revived_text != text:
        _fail(
            "config",
            "from_config(get_config()) gives a different config:\n"
            f"  before: {text}\n  after:  {revived_text}",
        )
    serialized = json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))
    try:
        revived = keras.saving.deserialize_keras_object(serialized)
    except Exception as error:
        raise AssertionError(
            f"[config] {layer_cls.__name__} cannot be deserialized without "
            "custom_objects; register it with "
            f"keras.saving.register_keras_serializable(package=...): {error}"
        ) from error
    if type(revived) is not layer_cls:
        _fail(
            "config",
            f"deserialize(serialize(layer)) gave {type(revived).__name__}, "
            f"expected {layer_cls.__name__}.",
        )


def _check_weights(layer, trainable, non_trainable, params):
    counts = (
        ("len(trainable_weights)", len(layer.trainable_weights), trainable),
        ("len(non_trainable_weights)", len(layer.non_trainable_weights), non_trainable),
        ("count_params()", layer.count_params(), params),
    )
    for what, got, expected in counts:
        if expected is not None and got != expected:
            _fail("weights", f"{what} is {got}, expected {expected}.")


@_check("shapes")
def _check_shapes(
    layer_cls,
    init_kwargs,
    data,
    expected_output_shape,
    expected_output_dtype,
    call_kwargs,
):
    layer = _construct(layer_cls, init_kwargs)
    eager = layer(_model_inputs(data), **call_kwargs)
    eager_flat = _flat(eager)
    if expected_output_shape is not None:
        expected_flat = list(_iter_shapes(expected_output_shape))
        if len(expected_flat) != len(eager_flat):
            _fail(
                "shapes",
                f"the layer returned {len(eager_flat)} outputs, expected "
                f"{len(expected_flat)}.",
            )
        for out, shape in zip(eager_flat, expected_flat):
            if not _shape_matches(tuple(out.shape), shape):
                _fail(
                    "shapes",
                    f"eager output shape {tuple(out.shape)}, expected {shape}.",
                )
    if expected_output_dtype is not None:
        for out in eager_flat:
            if _dtype(out) != expected_output_dtype:
                _fail(
                    "shapes",
                    f"eager output dtype {_dtype(out)}, expected "
                    f"{expected_output_dtype}.",
                )

    symbolic_layer = _construct(layer_cls, init_kwargs)
    symbolic = symbolic_layer(_model_inputs(_symbolic_inputs(data)), **call_kwargs)
    symbolic_flat = _flat(symbolic)
    if len(symbolic_flat) != len(eager_flat):
        _fail(
            "shapes",
            f"symbolic call returned {len(symbolic_flat)} outputs, eager call "
            f"{len(eager_flat)}.",
        )
    for sym, out in zip(symbolic_flat, eager_flat):
        expected = (None, *tuple(out.shape)[1:])
        if not _shape_matches(tuple(sym.shape), expected) or (
            sym.shape[1:] != tuple(out.shape)[1:]
        ):
            _fail(
                "shapes",
                f"symbolic output shape {tuple(sym.shape)} does not match the eager "
                f"output shape {tuple(out.shape)} (batch dimension free).",
            )
        if _dtype(sym) != _dtype(out):
            _fail(
                "shapes",
                f"symbolic output dtype {_dtype(sym)}, eager {_dtype(out)}.",
            )

    if _defines(layer_cls, "compute_output_shape"):
        input_shapes = keras.tree.map_structure(lambda a: tuple(np.shape(a)), data)
        shapes = layer.compute_output_shape(_model_inputs(input_shapes))
        computed = list(_iter_shapes(shapes))
        if len(computed) != len(eager_flat):
            _fail(
                "shapes",
                f"compute_output_shape returned {len(computed)} shapes for "
                f"{len(eager_flat)} outputs.",
            )
        for shape, out in zip(computed, eager_flat):
            if tuple(shape) != tuple(out.shape):
                _fail(
                    "shapes",
                    f"compute_output_shape gives {tuple(shape)}, the eager output "
                    f"shape is {tuple(out.shape)}.",
                )
    return layer, eager


def _defines(cls, method):
    """Whether a class below Keras's own (Layer, Model, RNN, ...) defines method."""
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] == "keras" or klass is object:
            return False
        if method in vars(klass):
            return True
    return False


@_check("saving")
def _check_saving(layer_cls, init_kwargs, data, call_kwargs, seed):
    model = _build_model(
        _construct(layer_cls, init_kwargs), data, call_kwargs=call_kwargs
    )
    _save_and_reload(model, data, seed)


def _save_and_reload(model, data, seed, expected_cls=None):
    """Save ``model`` as ``.keras``, load it back, and fail the ``saving`` check
    unless the loaded model (of ``expected_cls``, if given) has exactly the same
    weights and eager outputs."""
    # zero biases and zero-initialised branches would hide a weight that is never
    # saved: every weight is moved to a random value first
    _randomize_weights(model, seed)
    expected = _eager_outputs(model, data)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        revived = keras.saving.load_model(path)
    if expected_cls is not None and type(revived) is not expected_cls:
        _fail(
            "saving",
            f"load_model gave {type(revived).__name__}, expected "
            f"{expected_cls.__name__}.",
        )
    _compare_weights(model, revived)
    got = _eager_outputs(revived, data)
    for a, b in zip(expected, got):
        if not np.array_equal(a, b):
            _fail(
                "saving",
                "outputs differ after model.save and keras.saving.load_model "
                f"(max abs difference {np.max(np.abs(a - b)):.3g}).",
            )


def _compare_weights(model, revived):
    """Exactly equal weights, in order (a revived model is built by the same code,
    so its weights come in the same order; their generated names may differ)."""
    shapes = [tuple(v.shape) for v in model.weights]
    revived_shapes = [tuple(v.shape) for v in revived.weights]
    if shapes != revived_shapes:
        _fail(
            "saving",
            f"the loaded model has weights of shapes {revived_shapes}, the saved "
            f"one {shapes}.",
        )
    for saved, loaded in zip(model.weights, revived.weights):
        if not np.array_equal(_to_numpy(saved), _to_numpy(loaded)):
            _fail(
                "saving",
                f"weight {saved.path} differs after save and load: it is not "
                "saved, or not restored.",
            )


def _targets(outputs, seed):
    rng = np.random.default_rng(seed + 1)
    return [
        rng.standard_normal(tuple(np.shape(o))).astype("float32")
        for o in _flat(outputs)
    ]


def _dead_weights(model, before, exempt):
    """Trainable weights that one fit step left unchanged (no gradient)."""
    dead = []
    for w, b in zip(model.trainable_weights, before):
        a = np.array(_to_numpy(w))
        if not np.all(np.isfinite(a)):
            _fail("training", f"weight {w.path} is not finite after one fit step.")
        if np.array_equal(a, b) and not any(key in w.path for key in exempt):
            dead.append(w.path)
    return dead


def _fail_dead(dead, jit_compile):
    if dead:
        _fail(
            "training",
            f"one fit step (jit_compile={jit_compile}) left {dead} unchanged: they "
            "get no gradient. Declare a weight that legitimately gets none in "
            "`gradient_exempt`, with the reason.",
        )


@_check("training")
def _check_training(
    layer_cls, init_kwargs, data, jit_compile, seed, kind, call_kwargs, exempt
):
    keras.utils.set_random_seed(seed)
    model = _build_model(
        _construct(layer_cls, init_kwargs), data, kind=kind, call_kwargs=call_kwargs
    )
    if not model.trainable_weights:
        return
    targets = _targets(_eager_outputs(model, data), seed)
    n_out = len(targets)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.01),
        loss=["mse"] * n_out if n_out > 1 else "mse",
        jit_compile=jit_compile,
    )
    before = [np.array(_to_numpy(w)) for w in model.trainable_weights]
    history = model.fit(
        _model_inputs(data),
        targets if n_out > 1 else targets[0],
        batch_size=len(targets[0]),
        epochs=1,
        verbose=0,
    )
    loss = history.history["loss"][-1]
    if not np.isfinite(loss):
        _fail(
            "training",
            f"the loss after one fit step is {loss} (jit_compile={jit_compile}).",
        )
    _fail_dead(_dead_weights(model, before, exempt), jit_compile)
    x, y = _model_inputs(data), targets if n_out > 1 else targets[0]
    evaluated = model.evaluate(x, y, batch_size=len(targets[0]), verbose=0)
    if not np.all(np.isfinite(evaluated)):
        _fail("training", f"evaluate() after fit gives {evaluated} ({kind} model).")
    predicted = _flat(model.predict(x, verbose=0))
    if [np.shape(p) for p in predicted] != [np.shape(t) for t in targets]:
        _fail("training", f"predict() of the {kind} model changed the output shape.")


def _compare_jit(eager, compiled, atol, rtol):
    """Fails the ``jit`` check where compiled and eager predictions differ."""
    for a, b in zip(_flat(eager), _flat(compiled)):
        if not _close(a, b, atol, rtol):
            _fail(
                "jit",
                "predict with jit_compile=True differs from predict with "
                "run_eagerly=True (max abs difference "
                f"{np.max(np.abs(np.asarray(a) - b)):.3g}).",
            )


@_check("jit")
def _check_jit_predict(layer_cls, init_kwargs, data, call_kwargs, atol, rtol):
    keras.utils.set_random_seed(0)
    layer = _construct(layer_cls, init_kwargs)
    model = _build_model(layer, data, call_kwargs=call_kwargs)
    # on jax, predict is compiled by default and on tensorflow it is a graph: the
    # baseline is run_eagerly=True
    model.compile(run_eagerly=True)
    eager = model.predict(_model_inputs(data), verbose=0)
    model.compile(jit_compile=True)
    compiled = model.predict(_model_inputs(data), verbose=0)
    _compare_jit(eager, compiled, atol, rtol)


@_check("policy")
def _check_policy(
    layer_cls, init_kwargs, data, call_kwargs, compute_dtype, var_dtype, *, policy
):
    kwargs = dict(init_kwargs)
    kwargs["dtype"] = policy
    layer = _construct(layer_cls, kwargs)
    inputs = _cast_inputs(data, "float64" if compute_dtype == "float64" else "float32")
    outputs = layer(_model_inputs(inputs), **call_kwargs)
    for out in _flat(outputs):
        if _dtype(out) in _FLOAT_DTYPES and _dtype(out) != compute_dtype:
            _fail(
                policy,
                f"output dtype {_dtype(out)} under dtype={policy!r}, expected "
                f"{compute_dtype}.",
            )
        if not np.all(np.isfinite(_to_numpy(keras.ops.cast(out, "float32")))):
            _fail(policy, f"the output under dtype={policy!r} is not finite.")
    for variable in layer.weights:
        if _dtype(variable) in _FLOAT_DTYPES and _dtype(variable) != var_dtype:
            _fail(
                policy,
                f"variable {variable.path} has dtype {_dtype(variable)} under "
                f"dtype={policy!r}, expected {var_dtype}.",
            )
    symbolic = _construct(layer_cls, kwargs)(
        _model_inputs(_symbolic_inputs(data, dtype=compute_dtype)), **call_kwargs
    )
    for sym in _flat(symbolic):
        if _dtype(sym) in _FLOAT_DTYPES and _dtype(sym) != compute_dtype:
            _fail(
                policy,
                f"symbolic output dtype {_dtype(sym)} under dtype={policy!r}, "
                f"expected {compute_dtype}.",
            )
    _check_policy_values(layer_cls, init_kwargs, data, call_kwargs, layer, policy)


def _check_policy_values(layer_cls, init_kwargs, data, call_kwargs, layer, policy):
    """The layer's outputs under ``policy`` against a float32 copy with the same
    weights (float64: the float32 copy takes the float64 layer's weights)."""
    reference = _construct(layer_cls, init_kwargs)
    x32 = _cast_inputs(data, "float32")
    reference(_model_inputs(x32), **call_kwargs)
    if policy == "float64":
        reference.set_weights([np.asarray(w, "float32") for w in layer.get_weights()])
    else:
        layer.set_weights(reference.get_weights())
    x = _cast_inputs(data, "float64" if policy == "float64" else "float32")
    got = layer(_model_inputs(x), **call_kwargs)
    expected = reference(_model_inputs(x32), **call_kwargs)
    tolerance = _POLICY_TOLERANCE[policy]
    for a, b in zip(_flat(got), _flat(expected)):
        if _dtype(a) not in _FLOAT_DTYPES:
            continue
        error = _relative_error(
            _to_numpy(
                keras.ops.cast(a, "float64" if policy == "float64" else "float32")
            ),
            _to_numpy(b),
        )
        if error > tolerance:
            _fail(
                policy,
                f"the output under dtype={policy!r} is {error:.3g} away from the "
                f"float32 output with the same weights (relative L2; tolerance "
                f"{tolerance}).",
            )


@_check("float64")
def _check_float64_precision(layer_cls, init_kwargs, data, call_kwargs, seed):
    """A float64 layer must compute in float64 inside too. Two tiny input steps,
    d and 2d: in float64 the output moves linearly (by J.d, then 2 J.d); a
    computation that drops to float32 inside rounds such steps to 0 or to float32
    jumps, and the ratio breaks."""
    kwargs = {**init_kwargs, "dtype": "float64"}
    layer = _construct(layer_cls, kwargs)
    x = _cast_inputs(data, "float64")
    rng = np.random.default_rng(seed + 3)
    direction = keras.tree.map_structure(
        lambda a: (
            1e-9 * rng.standard_normal(np.shape(a)) * (np.abs(a) + 1.0)
            if np.asarray(a).dtype.kind == "f"
            else np.zeros_like(a)
        ),
        x,
    )

    def run(step):
        moved = keras.tree.map_structure(lambda a, d: a + step * d, x, direction)
        outputs = layer(_model_inputs(moved), **call_kwargs)
        return [
            np.asarray(_to_numpy(o), "float64")
            for o in _flat(outputs)
            if _dtype(o) == "float64"
        ]

    base, one, two, big = run(0.0), run(1.0), run(2.0), run(1e7)
    for y0, y1, y2, yb in zip(base, one, two, big):
        d1, d2 = y1 - y0, y2 - y0
        size = np.linalg.norm(d2)
        if size == 0.0 and np.array_equal(yb, y0):
            continue  # this output does not depend on the input
        if size == 0.0 or np.linalg.norm(d2 - 2.0 * d1) > 1e-3 * size:
            _fail(
                "float64",
                "under dtype='float64' the output does not move linearly with a "
                "1e-9 input step: the layer computes in float32 (or another lower "
                "precision) inside.",
            )


@_check("mask")
def _check_mask(layer_cls, init_kwargs, data, call_kwargs, mask, seed):
    """Values at masked positions must not reach the output."""
    layer = _construct(layer_cls, init_kwargs)
    mask = np.asarray(mask, dtype=bool)
    x = np.asarray(data if not isinstance(data, list) else data[0])
    rng = np.random.default_rng(seed + 5)
    hidden = ~mask.reshape(mask.shape + (1,) * (x.ndim - mask.ndim))
    other = np.where(hidden, rng.standard_normal(x.shape), x).astype(x.dtype)
    a = layer(x, mask=mask, **call_kwargs)
    b = layer(other, mask=mask, **call_kwargs)
    for p, q in zip(_flat(a), _flat(b)):
        if not _close(_to_numpy(p), _to_numpy(q), 1e-6, 1e-6):
            _fail(
                "mask",
                "changing the input at masked positions changed the output: the "
                "layer does not honour `mask`.",
            )


@_check("values")
def _check_expected_output(outputs, expected_output, atol, rtol):
    expected = expected_output
    if not isinstance(expected, list | tuple | dict):
        expected = [expected]
    got = _flat(outputs)
    expected = _flat(expected)
    if len(got) != len(expected):
        _fail("values", f"{len(got)} outputs, {len(expected)} expected outputs.")
    for a, b in zip(got, expected):
        if not _close(_to_numpy(a), b, atol, rtol):
            _fail(
                "values",
                "the eager output differs from `expected_output` (max abs "
                f"difference {np.max(np.abs(_to_numpy(a) - np.asarray(b))):.3g}).",
            )


def _float64_available():
    if keras.config.backend() != "jax":
        return True
    import jax

    return bool(jax.config.jax_enable_x64)


def run_layer_test(
    layer_cls: type,
    init_kwargs: Mapping[str, Any] | None = None,
    input_shape: InputShape | None = None,
    input_dtype: str = "float32",
    input_data: Tensor | Sequence[Tensor] | None = None,
    call_kwargs: Mapping[str, Any] | None = None,
    input_mask: Tensor | None = None,
    expected_output: Tensor | Sequence[Tensor] | None = None,
    expected_output_shape: OutputShape | None = None,
    expected_output_dtype: str | None = None,
    expected_num_trainable_weights: int | None = None,
    expected_num_non_trainable_weights: int | None = None,
    expected_num_params: int | None = None,
    gradient_exempt: Mapping[str, str] | None = None,
    run_config_check: bool = True,
    run_saving_check: bool = True,
    run_training_check: bool = True,
    run_jit_check: bool = True,
    run_mixed_precision_check: bool = True,
    run_float64_check: bool = True,
    atol: float = 1e-5,
    rtol: float = 1e-5,
    seed: int = 0,
    eager_training: bool = True,
) -> None:
    """Run the kx layer checks on one layer or model class.

    Each check fails on the defect it names (``tests/test_testing.py`` feeds each
    one a layer broken that way): ``saving`` moves every weight to a random value
    before saving and wants exactly equal weights and outputs after loading;
    ``training`` wants a change of every trainable weight in one step;
    ``jit`` compares ``jit_compile=True`` with ``run_eagerly=True``; the policy
    checks compare values with the float32 layer of the same weights, and the
    float64 check catches float32 computation inside a float64 layer.

    Args:
        layer_cls: the class under test, a subclass of ``keras.layers.Layer`` or
            ``keras.Model``.
        init_kwargs: dict of constructor arguments.
        input_shape: shape of the test input including the batch dimension, or a
            list of shapes for a layer with several inputs. Ignored when
            ``input_data`` is given.
        input_dtype: dtype of generated inputs.
        input_data: explicit input array (or list of arrays), for layers that need
            particular values.
        call_kwargs: keyword arguments of every call of the layer (the models of
            the checks are then functional or subclassed, never Sequential).
        input_mask: a boolean ``(batch, steps)`` mask: checks that the layer
            accepts ``mask=`` and that input values at masked positions do not
            reach the output.
        expected_output: expected eager output values (at ``atol``/``rtol``), for
            layers whose output is known from their input alone.
        expected_output_shape: expected eager output shape (``None`` entries match
            anything), or a list of shapes for several outputs.
        expected_output_dtype: expected output dtype at the default policy.
        expected_num_trainable_weights: expected ``len(layer.trainable_weights)``.
        expected_num_non_trainable_weights: expected
            ``len(layer.non_trainable_weights)``.
        expected_num_params: expected ``layer.count_params()``, counted by hand.
        gradient_exempt: dict from a weight-path substring to the reason why that
            weight gets no gradient in one training step.
        run_config_check: check the config round trip and registration.
        run_saving_check: check ``.keras`` save and load.
        run_training_check: check one training step, eager and (on jax and
            tensorflow) with ``jit_compile=True``.
        run_jit_check: on jax and tensorflow, check compiled predict against
            ``run_eagerly=True``.
        run_mixed_precision_check: check the ``mixed_float16`` and
            ``mixed_bfloat16`` policies (dtypes and values).
        run_float64_check: check ``dtype="float64"`` (dtypes, values, and float64
            precision inside).
        atol: absolute tolerance of output comparisons.
        rtol: relative tolerance of output comparisons.
        seed: seed of generated inputs and weights.
        eager_training: run the Sequential model's training check eagerly (the
            default); False compiles it too, with ``jit_compile=True`` on jax and
            tensorflow (every model kind still runs fit, evaluate and predict).
            Eager jax compiles each operation on its own, so that check takes
            most of a harness run there.

    Raises:
        AssertionError: naming the check that failed, e.g. ``[saving] ...``.

    Example:

    >>> import keras
    >>> from kx.ops.testing import run_layer_test
    >>> run_layer_test(
    ...     keras.layers.Dense,
    ...     init_kwargs={"units": 3},
    ...     input_shape=(2, 4),
    ...     expected_output_shape=(2, 3),
    ...     expected_num_trainable_weights=2,
    ...     expected_num_params=15,
    ... )
    """
    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    exempt = dict(gradient_exempt or {})
    if input_data is None:
        if input_shape is None:
            raise ValueError("run_layer_test needs `input_shape` or `input_data`.")
        input_data = random_inputs(input_shape, input_dtype, seed)
    elif not isinstance(input_data, list | tuple | dict):
        input_data = np.asarray(input_data)
    elif isinstance(input_data, tuple):
        input_data = list(input_data)
    jit_backend = keras.config.backend() in ("jax", "tensorflow")

    if run_config_check:
        _check_config(layer_cls, init_kwargs)
    keras.utils.set_random_seed(seed)
    layer, outputs = _check_shapes(
        layer_cls,
        init_kwargs,
        input_data,
        expected_output_shape,
        expected_output_dtype,
        call_kwargs,
    )
    if expected_output is not None:
        _check_expected_output(outputs, expected_output, atol, rtol)
    _check_weights(
        layer,
        expected_num_trainable_weights,
        expected_num_non_trainable_weights,
        expected_num_params,
    )
    if input_mask is not None:
        _check_mask(layer_cls, init_kwargs, input_data, call_kwargs, input_mask, seed)
    if run_saving_check:
        _check_saving(layer_cls, init_kwargs, input_data, call_kwargs, seed)
    if run_training_check:
        # Eager (unless eager_training=False) in a Sequential model (functional for
        # several inputs), compiled in a subclassed model: every model kind runs
        # fit, evaluate and predict.
        sequential_jit = jit_backend and not eager_training
        for kind, jit in (("sequential", sequential_jit), ("subclassed", jit_backend)):
            _check_training(
                layer_cls, init_kwargs, input_data, jit, seed, kind, call_kwargs,
                exempt,
            )  # fmt: skip
    if run_jit_check and jit_backend:
        _check_jit_predict(layer_cls, init_kwargs, input_data, call_kwargs, atol, rtol)
    if run_mixed_precision_check:
        for policy, compute in (("mixed_float16", "float16"),
                                ("mixed_bfloat16", "bfloat16")):  # fmt: skip
            _check_policy(
                layer_cls, init_kwargs, input_data, call_kwargs, compute, "float32",
                policy=policy,
            )  # fmt: skip
    if run_float64_check and not _float64_available():
        warnings.warn(
            "run_layer_test skipped the float64 check: the jax backend needs "
            "JAX_ENABLE_X64=1 (or jax.config.update('jax_enable_x64', True)).",
            stacklevel=2,
        )
    elif run_float64_check:
        _check_policy(
            layer_cls, init_kwargs, input_data, call_kwargs, "float64", "float64",
            policy="float64",
        )  # fmt: skip
        if keras.config.backend() == "tensorflow":
            # Keras 3.15 maps float64 to float32 in `keras.backend.result_type` on
            # jax and torch (`result_type("float64", "float64")` is "float32"
            # there), so `keras.ops.mean` and `tanh` on jax and `matmul` on torch
            # compute float64 operands in float32, and every layer built on them,
            # Dense included, would fail: the precision check runs on tensorflow,
            # where Keras keeps float64.
            _check_float64_precision(
                layer_cls, init_kwargs, input_data, call_kwargs, seed
            )


# ----------------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------------


def _fresh_model(model_cls, init_kwargs, seed, policy=None):
    """A new model; under ``policy`` its layers are created with that dtype policy."""
    keras.utils.set_random_seed(seed)
    if policy is None:
        return _construct(model_cls, init_kwargs)
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        return _construct(model_cls, init_kwargs)
    finally:
        keras.config.set_dtype_policy(previous)


def _relative_error(got, expected):
    got = np.asarray(got, dtype="float64")
    expected = np.asarray(expected, dtype="float64")
    return float(np.linalg.norm(got - expected) / (np.linalg.norm(expected) + 1e-12))


def _randomize_weights(model, seed):
    """Move every float weight away from its initial value (zero biases, unit
    scales, zero-initialised branches), so that a weight that is never saved shows
    up as a different output after loading. Moving by 10% of the weight's scale
    keeps variances positive and activations in range."""
    rng = np.random.default_rng(seed + 7)
    for variable in model.weights:
        if _dtype(variable) not in _FLOAT_DTYPES:
            continue
        value = np.asarray(_to_numpy(variable), dtype="float64")
        scale = 0.1 * (np.std(value) + np.mean(np.abs(value)) + 0.1)
        value = value + scale * rng.standard_normal(value.shape)
        variable.assign(value.astype(_dtype(variable)))


def _expect_shapes(outputs, expected, what):
    flat = _flat(outputs)
    expected_flat = list(_iter_shapes(expected))
    if len(expected_flat) != len(flat):
        _fail(
            "shapes",
            f"{what} returned {len(flat)} outputs, expected {len(expected_flat)}.",
        )
    for out, shape in zip(flat, expected_flat):
        if not _shape_matches(tuple(np.shape(out)), shape):
            _fail(
                "shapes",
                f"{what} output shape {tuple(np.shape(out))}, expected {shape}.",
            )


@_check("shapes")
def _check_model_shapes(model, data, expected_output_shape, other_input_shapes, seed):
    eager = model(_model_inputs(data))
    predicted = model.predict(_model_inputs(data), verbose=0)
    if expected_output_shape is not None:
        _expect_shapes(eager, expected_output_shape, "the eager call")
        _expect_shapes(predicted, expected_output_shape, "predict()")
    for a, b in zip(_flat(eager), _flat(predicted)):
        if tuple(np.shape(a)) != tuple(np.shape(b)):
            _fail(
                "shapes",
                f"predict() gives shape {tuple(np.shape(b))}, the eager "
                f"call {tuple(np.shape(a))}.",
            )
    for i, (shape, expected) in enumerate(other_input_shapes or ()):
        other = random_inputs(shape, "float32", seed + 11 + i)
        try:
            result = model.predict(_model_inputs(other), verbose=0)
        except Exception as error:
            _fail(
                "shapes",
                f"the built model rejects input shape {shape}: "
                f"{type(error).__name__}: {error}",
            )
        _expect_shapes(result, expected, f"predict() at input shape {shape}")
    return eager


@_check("nesting")
def _check_nesting(model, data, atol, rtol):
    """The model as a layer of a Sequential and of a functional model."""
    expected = _eager_outputs(model, data)
    inputs = _model_inputs(_symbolic_inputs(data))
    wrappers = {"functional": keras.Model(inputs, model(inputs))}
    if not isinstance(inputs, list | dict):
        wrappers["sequential"] = keras.Sequential([inputs, model])
    for kind, wrapper in wrappers.items():
        got = _eager_outputs(wrapper, data)
        for a, b in zip(expected, got):
            if not _close(a, b, atol, rtol):
                _fail(
                    "nesting",
                    f"the model inside a {kind} model gives other "
                    "outputs than on its own.",
                )


@_check("saving")
def _check_model_saving(model_cls, init_kwargs, data, seed):
    model = _fresh_model(model_cls, init_kwargs, seed)
    model(_model_inputs(data))
    _save_and_reload(model, data, seed, expected_cls=model_cls)


@_check("training")
def _check_model_training(model_cls, init_kwargs, data, seed, jit_compile, exempt):
    model = _fresh_model(model_cls, init_kwargs, seed)
    outputs = model(_model_inputs(data))
    targets = _targets(outputs, seed)
    n_out = len(targets)
    y = targets if n_out > 1 else targets[0]
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.01),
        loss=["mse"] * n_out if n_out > 1 else "mse",
        jit_compile=jit_compile,
    )
    before = [np.array(_to_numpy(w)) for w in model.trainable_weights]
    history = model.fit(
        _model_inputs(data), y, batch_size=len(targets[0]), epochs=1, verbose=0
    )
    loss = history.history["loss"][-1]
    if not np.isfinite(loss):
        _fail(
            "training",
            f"the loss after one fit step is {loss} (jit_compile={jit_compile}).",
        )
    _fail_dead(_dead_weights(model, before, exempt), jit_compile)
    evaluated = model.evaluate(
        _model_inputs(data), y, batch_size=len(targets[0]), verbose=0
    )
    if not np.all(np.isfinite(evaluated)):
        _fail("training", f"evaluate() after fit gives {evaluated}.")


@_check("jit")
def _check_model_jit(model_cls, init_kwargs, data, seed, atol, rtol):
    model = _fresh_model(model_cls, init_kwargs, seed)
    model(_model_inputs(data))
    model.compile(jit_compile=True)
    compiled = model.predict(_model_inputs(data), verbose=0)
    model.compile(run_eagerly=True)
    eager = model.predict(_model_inputs(data), verbose=0)
    _compare_jit(eager, compiled, atol, rtol)


def _sublayers(model):
    """The layers of a model and of the models inside it (public ``layers``)."""
    found, stack = [], list(model.layers)
    while stack:
        layer = stack.pop()
        found.append(layer)
        stack.extend(getattr(layer, "layers", ()))
    return found


def _check_model_policy(model_cls, init_kwargs, data, seed, policy):
    """Outputs under a mixed policy, with the float32 model's weights, against the
    float32 outputs."""
    try:
        reference = _fresh_model(model_cls, init_kwargs, seed)
        expected = reference(_model_inputs(data))
        mixed = _fresh_model(model_cls, init_kwargs, seed, policy=policy)
        mixed(_model_inputs(data))
        mixed.set_weights(reference.get_weights())
        got = mixed(_model_inputs(data))
    except Exception as error:
        raise AssertionError(f"[{policy}] {type(error).__name__}: {error}") from error
    for variable in mixed.weights:
        if _dtype(variable) in _FLOAT_DTYPES and _dtype(variable) != "float32":
            _fail(
                policy,
                f"variable {variable.path} has dtype {_dtype(variable)} "
                "under a mixed policy, expected float32.",
            )
    compute = policy.split("_")[1]
    if not any(layer.compute_dtype == compute for layer in _sublayers(mixed)):
        _fail(policy, f"no layer of the model computes in {compute}.")
    tolerance = _POLICY_TOLERANCE[policy]
    for a, b in zip(_flat(got), _flat(expected)):
        a32 = _to_numpy(keras.ops.cast(a, "float32"))
        if not np.all(np.isfinite(a32)):
            _fail(policy, "the output under a mixed policy is not finite.")
        distance = _relative_error(a32, _to_numpy(b))
        if distance > tolerance:
            _fail(
                policy,
                f"the output under {policy} is {distance:.3g} away from the "
                f"float32 output (relative L2; tolerance {tolerance}).",
            )


def run_model_test(
    model_cls: type,
    init_kwargs: Mapping[str, Any] | None = None,
    input_shape: InputShape | None = None,
    input_data: Tensor | Sequence[Tensor] | None = None,
    input_dtype: str = "float32",
    expected_output_shape: OutputShape | None = None,
    expected_num_params: int | None = None,
    other_input_shapes: Sequence[tuple[InputShape, OutputShape]] | None = None,
    gradient_exempt: Mapping[str, str] | None = None,
    run_config_check: bool = True,
    run_saving_check: bool = True,
    run_training_check: bool = True,
    run_jit_check: bool = True,
    run_mixed_precision_check: bool = True,
    atol: float = 1e-5,
    rtol: float = 1e-5,
    seed: int = 0,
) -> None:
    """Run the kx model checks on one ``keras.Model`` class.

    The checks, each of which names itself in the ``AssertionError`` it raises:

    * ``config``: ``get_config``/``from_config`` round trip with equal JSON, every
      constructor argument in the config, registered serializable;
    * ``shapes``: eager call and ``predict`` agree with ``expected_output_shape``;
      the same built model accepts every shape of ``other_input_shapes`` (variable
      resolution) with the expected output shapes;
    * ``weights``: ``count_params()`` equals ``expected_num_params``;
    * ``nesting``: the model inside a Sequential and a functional model gives its
      own outputs;
    * ``saving``: every weight is first moved to a random value, then
      ``model.save`` and ``keras.saving.load_model`` give the same class, exactly
      equal weights and equal outputs;
    * ``training``: one ``fit`` step (compiled with ``jit_compile=True`` on jax and
      tensorflow) changes every trainable weight, unless ``gradient_exempt`` names
      it with its reason; loss, weights and ``evaluate`` are finite;
    * ``jit`` (jax and tensorflow): ``predict`` with ``jit_compile=True`` equals
      ``predict`` with ``run_eagerly=True``;
    * ``mixed_float16``/``mixed_bfloat16``: variables stay float32, layers compute
      in the policy's dtype, and outputs with the float32 model's weights are
      within a relative L2 error of 2e-2 (float16) or 1e-1 (bfloat16) of the
      float32 outputs: a model that breaks under a policy cannot pass on dtypes.

    Args:
        model_cls: the ``keras.Model`` subclass under test.
        init_kwargs: dict of constructor arguments.
        input_shape: shape of the test input including the batch dimension (a list
            of shapes for several inputs). Ignored when ``input_data`` is given.
        input_data: explicit input array (or list of arrays).
        input_dtype: dtype of generated inputs.
        expected_output_shape: expected output shape (``None`` entries match
            anything), or a list of shapes for several outputs.
        expected_num_params: expected ``count_params()``, counted by hand.
        other_input_shapes: list of ``(input_shape, expected_output_shape)`` pairs
            that the model, once built, must also accept.
        gradient_exempt: dict from a weight-path substring to the reason why that
            weight gets no gradient in one step.
        run_config_check: check the config round trip and registration.
        run_saving_check: check ``.keras`` save and load.
        run_training_check: check one fit step and the gradients.
        run_jit_check: check compiled against eager predict (jax, tensorflow).
        run_mixed_precision_check: check both mixed policies.
        atol: absolute tolerance of float32 output comparisons.
        rtol: relative tolerance of float32 output comparisons.
        seed: seed of generated inputs and weights.

    Raises:
        AssertionError: naming the check that failed, e.g. ``[saving] ...``.

    Example:

    >>> import keras
    >>> from kx.ops.testing import run_model_test
    >>> @keras.saving.register_keras_serializable(package="doc")
    ... class Tiny(keras.Model):
    ...     def __init__(self, units=2, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.units = units
    ...         self.dense = keras.layers.Dense(units)
    ...     def call(self, x):
    ...         return self.dense(x)
    ...     def get_config(self):
    ...         return {**super().get_config(), "units": self.units}
    >>> run_model_test(Tiny, {"units": 2}, input_shape=(3, 4),
    ...                expected_output_shape=(3, 2), expected_num_params=10)
    """
    init_kwargs = dict(init_kwargs or {})
    if not (isinstance(model_cls, type) and issubclass(model_cls, keras.Model)):
        raise ValueError(
            f"run_model_test needs a keras.Model subclass; got {model_cls!r}."
        )
    if input_data is None:
        if input_shape is None:
            raise ValueError("run_model_test needs `input_shape` or `input_data`.")
        input_data = random_inputs(input_shape, input_dtype, seed)
    elif isinstance(input_data, tuple):
        input_data = list(input_data)
    elif not isinstance(input_data, list | dict):
        input_data = np.asarray(input_data)
    exempt = dict(gradient_exempt or {})
    jit_backend = keras.config.backend() in ("jax", "tensorflow")

    if run_config_check:
        _check_config(model_cls, init_kwargs)
    model = _fresh_model(model_cls, init_kwargs, seed)
    _check_model_shapes(
        model, input_data, expected_output_shape, other_input_shapes, seed
    )
    _check_weights(model, None, None, expected_num_params)
    _check_nesting(model, input_data, atol, rtol)
    if run_saving_check:
        _check_model_saving(model_cls, init_kwargs, input_data, seed)
    if run_training_check:
        _check_model_training(
            model_cls, init_kwargs, input_data, seed, jit_backend, exempt
        )
    if run_jit_check and jit_backend:
        _check_model_jit(model_cls, init_kwargs, input_data, seed, atol, rtol)
    if run_mixed_precision_check:
        for policy in ("mixed_float16", "mixed_bfloat16"):
            _check_model_policy(model_cls, init_kwargs, input_data, seed, policy)


# Backend helpers for tests


def _tensors(args):
    """``args`` as tensors of the active backend, dtypes kept (numpy float64
    stays float64)."""
    return [keras.ops.convert_to_tensor(a) for a in args]


def _numpy_tree(outputs):
    return keras.tree.map_structure(lambda t: np.asarray(_to_numpy(t)), outputs)


def backend_grad(
    f: Callable[..., Tensor],
    *args: Tensor,
    compiled: bool = False,
    torch_compile: bool = False,
) -> list[np.ndarray]:
    """Gradients of the scalar ``f(*args)`` with respect to every argument, by the
    active backend's autodiff.

    The one place the kx tests reach for ``jax.grad``, ``tf.GradientTape`` or
    ``torch.autograd.grad``: a test writes ``f`` with ``keras.ops`` (and kx.ops)
    and compares the gradients with a reference (finite differences, a closed
    form). An argument ``f``'s value does not depend on gets zeros.

    Args:
        f: a function of tensors returning a scalar tensor.
        *args: its arguments: numpy arrays or tensors (converted with
            ``keras.ops.convert_to_tensor``, dtypes kept).
        compiled: also compile the gradient computation: ``jax.jit`` on jax,
            ``tf.function(jit_compile=True)`` on tensorflow; torch runs eagerly
            unless ``torch_compile``.
        torch_compile: on torch, with ``compiled``, compile it with
            ``torch.compile(backend="aot_eager")`` (dynamo and AOT autograd,
            without inductor's C++ builds); ignored elsewhere.

    Returns:
        A list of numpy arrays, one per argument, each of its argument's shape.

    Example:

    >>> import keras
    >>> import numpy as np
    >>> from kx.ops.testing import backend_grad
    >>> x = np.array([1.0, 2.0, 3.0])
    >>> grads = backend_grad(lambda t: keras.ops.sum(t**2), x)
    >>> np.round(grads[0], 6).tolist()
    [2.0, 4.0, 6.0]
    """
    tensors = _tensors(args)
    backend = keras.config.backend()
    if backend == "jax":
        import jax

        jax_grad = jax.grad(f, argnums=tuple(range(len(tensors))))
        if compiled:
            jax_grad = jax.jit(jax_grad)
        return [np.asarray(g) for g in jax_grad(*tensors)]
    if backend == "tensorflow":
        import tensorflow as tf

        def tape_grad(*xs):
            with tf.GradientTape() as tape:
                for x in xs:
                    tape.watch(x)
                value = f(*xs)
            grads = tape.gradient(value, list(xs))
            return [tf.zeros_like(x) if g is None else g for x, g in zip(xs, grads)]

        if compiled:
            tape_grad = tf.function(tape_grad, jit_compile=True)
        return [np.asarray(g) for g in tape_grad(*tensors)]
    import torch

    def torch_grad(*xs):
        xs = [x.detach().clone().requires_grad_(True) for x in xs]
        grads = torch.autograd.grad(f(*xs), xs, allow_unused=True)
        return [torch.zeros_like(x) if g is None else g for x, g in zip(xs, grads)]

    if compiled and torch_compile:
        torch_grad = torch.compile(torch_grad, backend="aot_eager")
    return [g.detach().cpu().numpy() for g in torch_grad(*tensors)]


def compiled_function(
    f: Callable[..., Any],
    *,
    jit_compile: bool = True,
    input_shapes: Sequence[Sequence[int | None]] | None = None,
    input_dtype: str = "float32",
    torch_compile: bool = False,
) -> Callable[..., Any]:
    """``f`` compiled on the active backend, as a model's compiled step runs it.

    Args:
        f: a function of tensors.
        jit_compile: on tensorflow, ``tf.function(f, jit_compile=True)`` (all
            XLA); False: ``tf.function(f)``, graph mode (where kx.ops's own XLA
            clusters run). jax always compiles with XLA (``jax.jit``).
        input_shapes: one shape per argument, with None for a size left unknown
            while tracing: on tensorflow the ``input_signature`` of a graph-mode
            ``tf.function`` (XLA needs static sizes); on torch, with
            ``torch_compile``, ``dynamic=True``; jax traces each shape.
        input_dtype: the arguments' dtype in that ``input_signature``.
        torch_compile: on torch, ``torch.compile(f, backend="aot_eager")`` (dynamo
            and AOT autograd, without inductor's C++ builds); otherwise torch,
            which has no graph mode, runs ``f`` eagerly with no gradient recorded,
            as ``predict`` does.

    Returns:
        A function of the same arguments.

    Example:

    >>> import keras
    >>> import numpy as np
    >>> from kx.ops.testing import compiled_function
    >>> double = compiled_function(lambda t: 2.0 * t)
    >>> keras.ops.convert_to_numpy(double(np.ones(3, "float32"))).tolist()
    [2.0, 2.0, 2.0]
    """
    backend = keras.config.backend()
    if backend == "jax":
        import jax

        return jax.jit(f)
    if backend == "tensorflow":
        import tensorflow as tf

        if input_shapes is not None:
            spec = [tf.TensorSpec(shape, input_dtype) for shape in input_shapes]
            return tf.function(f, input_signature=spec)
        return tf.function(f, jit_compile=jit_compile)
    import torch

    if torch_compile:
        return torch.compile(f, dynamic=input_shapes is not None, backend="aot_eager")
    return torch.no_grad()(f)


def compiled_call(
    f: Callable[..., Any], *args: Tensor, jit_compile: bool = True
) -> Any:
    """``f(*args)`` run compiled (see :func:`compiled_function`), as numpy.

    Args:
        f: a function of tensors.
        *args: its arguments: numpy arrays or tensors (converted with
            ``keras.ops.convert_to_tensor``, dtypes kept).
        jit_compile: on tensorflow, all XLA (True) or graph mode (False).

    Returns:
        ``f``'s outputs with every tensor as a numpy array (the same nesting).

    Example:

    >>> import keras
    >>> import numpy as np
    >>> from kx.ops.testing import compiled_call
    >>> y = compiled_call(lambda t: keras.ops.cumsum(t), np.ones(3, "float32"))
    >>> y.tolist()
    [1.0, 2.0, 3.0]
    """
    compiled = compiled_function(f, jit_compile=jit_compile)
    return _numpy_tree(compiled(*_tensors(args)))
