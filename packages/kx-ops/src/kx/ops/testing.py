"""The kx layer-test harness: one function that checks a Keras layer or model.

Every public layer and model in the kx packages is tested with :func:`run_layer_test`,
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

from __future__ import annotations

import functools
import json
import os
import tempfile
import warnings

import keras
import numpy as np

__all__ = ["SubclassedModel", "random_inputs", "run_layer_test"]

_FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")


def _fail(check, message):
    raise AssertionError(f"[{check}] {message}")


def _check(name):
    """Report any error raised inside a check as a failure of that check."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except AssertionError:
                raise
            except Exception as error:
                check = name if name != "policy" else args[3]
                raise AssertionError(
                    f"[{check}] {type(error).__name__}: {error}"
                ) from error

        return wrapper

    return decorate


def _is_shape(value):
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


def random_inputs(input_shape, dtype="float32", seed=0):
    """Seeded standard-normal inputs for one shape or a list of shapes.

    Args:
        input_shape: a shape tuple (no ``None``), or a list of them for a layer
            with several inputs.
        dtype: numpy dtype name of the arrays.
        seed: seed of the generator.

    Returns:
        A numpy array, or a list of arrays when ``input_shape`` is a list of shapes.
    """
    rng = np.random.default_rng(seed)
    if _is_shape(input_shape):
        return rng.standard_normal(tuple(input_shape)).astype(dtype)
    return [rng.standard_normal(tuple(s)).astype(dtype) for s in input_shape]


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
    """A subclassed model around one layer, for the model-kind checks."""

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        self.inner = layer

    def call(self, inputs):
        return self.inner(inputs)


def _build_model(layer, data, dtype=None, kind="functional"):
    """Wrap ``layer`` in a functional, Sequential or subclassed model."""
    inputs = _model_inputs(_symbolic_inputs(data, dtype))
    if kind == "sequential" and not isinstance(inputs, list | dict):
        return keras.Sequential([inputs, layer])
    if kind == "subclassed":
        model = SubclassedModel(layer)
        model(_model_inputs(data))
        return model
    return keras.Model(inputs, layer(inputs))


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
    layer_cls, init_kwargs, data, expected_output_shape, expected_output_dtype
):
    layer = _construct(layer_cls, init_kwargs)
    eager = layer(_model_inputs(data))
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
    symbolic = symbolic_layer(_model_inputs(_symbolic_inputs(data)))
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
    for klass in cls.__mro__:
        if klass in (keras.layers.Layer, keras.Model, keras.layers.RNN):
            return False
        if method in vars(klass):
            return True
    return False


@_check("saving")
def _check_saving(layer_cls, init_kwargs, data, atol, rtol):
    model = _build_model(_construct(layer_cls, init_kwargs), data)
    expected = model.predict(_model_inputs(data), verbose=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        revived = keras.saving.load_model(path)
    got = revived.predict(_model_inputs(data), verbose=0)
    for a, b in zip(_flat(expected), _flat(got)):
        if not _close(a, b, atol, rtol):
            _fail(
                "saving",
                "outputs differ after model.save and keras.saving.load_model "
                f"(max abs difference {np.max(np.abs(np.asarray(a) - b)):.3g}).",
            )


def _targets(outputs, seed):
    rng = np.random.default_rng(seed + 1)
    return [
        rng.standard_normal(tuple(np.shape(o))).astype("float32")
        for o in _flat(outputs)
    ]


@_check("training")
def _check_training(layer_cls, init_kwargs, data, jit_compile, seed, kind):
    keras.utils.set_random_seed(seed)
    model = _build_model(_construct(layer_cls, init_kwargs), data, kind=kind)
    if not model.trainable_weights:
        return
    outputs = model.predict(_model_inputs(data), verbose=0)
    targets = _targets(outputs, seed)
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
    after = [np.array(_to_numpy(w)) for w in model.trainable_weights]
    unchanged = [
        w.path
        for w, b, a in zip(model.trainable_weights, before, after)
        if np.array_equal(b, a)
    ]
    if len(unchanged) == len(after):
        _fail(
            "training",
            f"one fit step (jit_compile={jit_compile}) changed no trainable weight: "
            "the output does not depend on the weights or gradients are zero.",
        )
    if not all(np.all(np.isfinite(a)) for a in after):
        _fail("training", "a weight is not finite after one fit step.")
    x, y = _model_inputs(data), targets if n_out > 1 else targets[0]
    evaluated = model.evaluate(x, y, batch_size=len(targets[0]), verbose=0)
    if not np.all(np.isfinite(evaluated)):
        _fail("training", f"evaluate() after fit gives {evaluated} ({kind} model).")
    predicted = _flat(model.predict(x, verbose=0))
    if [np.shape(p) for p in predicted] != [np.shape(t) for t in targets]:
        _fail("training", f"predict() of the {kind} model changed the output shape.")


@_check("jit")
def _check_jit_predict(layer_cls, init_kwargs, data, atol, rtol):
    keras.utils.set_random_seed(0)
    layer = _construct(layer_cls, init_kwargs)
    model = _build_model(layer, data)
    eager = model.predict(_model_inputs(data), verbose=0)
    model.compile(jit_compile=True)
    compiled = model.predict(_model_inputs(data), verbose=0)
    for a, b in zip(_flat(eager), _flat(compiled)):
        if not _close(a, b, atol, rtol):
            _fail("jit", "predict with jit_compile=True differs from eager predict.")


@_check("policy")
def _check_policy(layer_cls, init_kwargs, data, policy, compute_dtype, var_dtype):
    kwargs = dict(init_kwargs)
    kwargs["dtype"] = policy
    layer = _construct(layer_cls, kwargs)
    inputs = _cast_inputs(data, "float64" if compute_dtype == "float64" else "float32")
    outputs = layer(_model_inputs(inputs))
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
        _model_inputs(_symbolic_inputs(data, dtype=compute_dtype))
    )
    for sym in _flat(symbolic):
        if _dtype(sym) in _FLOAT_DTYPES and _dtype(sym) != compute_dtype:
            _fail(
                policy,
                f"symbolic output dtype {_dtype(sym)} under dtype={policy!r}, "
                f"expected {compute_dtype}.",
            )


def _float64_available():
    if keras.config.backend() != "jax":
        return True
    import jax

    return bool(jax.config.jax_enable_x64)


def run_layer_test(
    layer_cls,
    init_kwargs=None,
    input_shape=None,
    input_dtype="float32",
    input_data=None,
    expected_output_shape=None,
    expected_output_dtype=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    expected_num_params=None,
    run_config_check=True,
    run_saving_check=True,
    run_training_check=True,
    run_jit_check=True,
    run_mixed_precision_check=True,
    run_float64_check=True,
    atol=1e-5,
    rtol=1e-5,
    seed=0,
    eager_training=True,
):
    """Run the kx layer checks on one layer or model class.

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
        expected_output_shape: expected eager output shape (``None`` entries match
            anything), or a list of shapes for several outputs.
        expected_output_dtype: expected output dtype at the default policy.
        expected_num_trainable_weights: expected ``len(layer.trainable_weights)``.
        expected_num_non_trainable_weights: expected
            ``len(layer.non_trainable_weights)``.
        expected_num_params: expected ``layer.count_params()``, counted by hand.
        run_config_check: check the config round trip and registration.
        run_saving_check: check ``.keras`` save and load.
        run_training_check: check one training step, eager and (on jax and
            tensorflow) with ``jit_compile=True``.
        run_jit_check: on jax and tensorflow, check compiled predict against eager.
        run_mixed_precision_check: check the ``mixed_float16`` and
            ``mixed_bfloat16`` policies.
        run_float64_check: check ``dtype="float64"``.
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
    """
    init_kwargs = dict(init_kwargs or {})
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
    layer, _ = _check_shapes(
        layer_cls,
        init_kwargs,
        input_data,
        expected_output_shape,
        expected_output_dtype,
    )
    _check_weights(
        layer,
        expected_num_trainable_weights,
        expected_num_non_trainable_weights,
        expected_num_params,
    )
    if run_saving_check:
        _check_saving(layer_cls, init_kwargs, input_data, atol, rtol)
    if run_training_check:
        # Eager (unless eager_training=False) in a Sequential model (functional for
        # several inputs), compiled in a subclassed model: every model kind runs
        # fit, evaluate and predict.
        sequential_jit = jit_backend and not eager_training
        _check_training(
            layer_cls, init_kwargs, input_data, sequential_jit, seed, "sequential"
        )
        _check_training(
            layer_cls, init_kwargs, input_data, jit_backend, seed, "subclassed"
        )
    if run_jit_check and jit_backend:
        _check_jit_predict(layer_cls, init_kwargs, input_data, atol, rtol)
    if run_mixed_precision_check:
        _check_policy(
            layer_cls, init_kwargs, input_data, "mixed_float16", "float16", "float32"
        )
        _check_policy(
            layer_cls,
            init_kwargs,
            input_data,
            "mixed_bfloat16",
            "bfloat16",
            "float32",
        )
    if run_float64_check and not _float64_available():
        warnings.warn(
            "run_layer_test skipped the float64 check: the jax backend needs "
            "JAX_ENABLE_X64=1 (or jax.config.update('jax_enable_x64', True)).",
            stacklevel=2,
        )
    elif run_float64_check:
        _check_policy(
            layer_cls, init_kwargs, input_data, "float64", "float64", "float64"
        )
