"""run_model_test passes a correct model and fails, naming the check, on models
broken in exactly the way each check exists to catch."""

import keras
import pytest

from kx.ops.testing import run_model_test

BACKEND = keras.config.backend()
JIT_BACKEND = BACKEND in ("jax", "tensorflow")


@keras.saving.register_keras_serializable(package="kx_model_test")
class Tiny(keras.Model):
    """A correct subclassed model: layer norm, then a dense layer."""

    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.norm = keras.layers.LayerNormalization()
        self.dense = keras.layers.Dense(units)

    def call(self, x):
        return self.dense(self.norm(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="kx_model_test")
class Graph(keras.Model):
    """A correct functional model inside a keras.Model subclass, any length."""

    def __init__(self, units=2, channels=3, **kwargs):
        x = keras.Input((None, channels))
        h = keras.layers.Conv1D(4, 3, padding="same")(x)
        super().__init__(x, keras.layers.Dense(units)(h), **kwargs)
        self.units = units
        self.channels = channels

    def get_config(self):
        return {"units": self.units, "channels": self.channels, "name": self.name}


TINY = dict(
    init_kwargs={"units": 2},
    input_shape=(3, 4),
    expected_output_shape=(3, 2),
    expected_num_params=4 + 4 + 4 * 2 + 2,
)
GRAPH = dict(
    init_kwargs={"units": 2, "channels": 3},
    input_shape=(2, 8, 3),
    expected_output_shape=(2, 8, 2),
    expected_num_params=3 * 3 * 4 + 4 + 4 * 2 + 2,
    other_input_shapes=[((1, 5, 3), (1, 5, 2))],
)


def test_correct_models_pass():
    run_model_test(Tiny, **TINY)
    run_model_test(Graph, **GRAPH)


def test_needs_a_model_and_inputs():
    with pytest.raises(ValueError, match="keras.Model subclass"):
        run_model_test(keras.layers.Dense, {"units": 2}, input_shape=(2, 3))
    with pytest.raises(ValueError, match="input_shape"):
        run_model_test(Tiny, {"units": 2})


class Unregistered(Tiny):
    pass


@keras.saving.register_keras_serializable(package="kx_model_test")
class ForgetsArgument(Tiny):
    def get_config(self):
        config = super().get_config()
        del config["units"]
        return config


@keras.saving.register_keras_serializable(package="kx_model_test")
class FixedLength(keras.Model):
    """Built for one length only: the check for other input shapes must fail."""

    def __init__(self, length=8, **kwargs):
        x = keras.Input((length, 3))
        super().__init__(x, keras.layers.Dense(2)(keras.layers.Flatten()(x)), **kwargs)
        self.length = length

    def get_config(self):
        return {"length": self.length, "name": self.name}


@keras.saving.register_keras_serializable(package="kx_model_test")
class NotSaved(keras.layers.Layer):
    """Its offset is never written to the .keras file; it starts at zero, so only
    a harness that randomizes weights before saving sees it."""

    def build(self, input_shape):
        self.offset = self.add_weight(
            shape=(input_shape[-1],), initializer="zeros", name="offset"
        )

    def call(self, x):
        return x + self.offset

    def save_own_variables(self, store):
        pass

    def load_own_variables(self, store):
        pass


@keras.saving.register_keras_serializable(package="kx_model_test")
class LosesWeight(Tiny):
    def __init__(self, units=2, **kwargs):
        super().__init__(units, **kwargs)
        self.offset = NotSaved()

    def call(self, x):
        return self.dense(self.offset(self.norm(x)))


@keras.saving.register_keras_serializable(package="kx_model_test")
class DeadBias(Tiny):
    """One weight never reaches the loss: the bias is multiplied by zero."""

    def __init__(self, units=2, **kwargs):
        super().__init__(units, **kwargs)
        self.extra = keras.layers.Dense(units, name="extra")

    def call(self, x):
        h = self.norm(x)
        return self.dense(h) + 0.0 * self.extra(h)


@keras.saving.register_keras_serializable(package="kx_model_test")
class TracedDiffers(Tiny):
    """Adds one only when its input holds concrete values: a compiled predict
    (traced) and an eager one differ."""

    def call(self, x):
        y = self.dense(self.norm(x))
        try:
            keras.ops.convert_to_numpy(x)
        except Exception:
            return y
        return y + 1.0


@keras.saving.register_keras_serializable(package="kx_model_test")
class ZeroInHalf(keras.layers.Layer):
    def call(self, x):
        if self.compute_dtype in ("float16", "bfloat16"):
            return keras.ops.zeros_like(x)
        return x


@keras.saving.register_keras_serializable(package="kx_model_test")
class BreaksUnderMixed(Tiny):
    """Right dtypes, wrong values under a mixed policy."""

    def __init__(self, units=2, **kwargs):
        super().__init__(units, **kwargs)
        self.gate = ZeroInHalf()

    def call(self, x):
        return self.gate(self.dense(self.norm(x)))


QUIET = {
    "run_training_check": False,
    "run_jit_check": False,
    "run_mixed_precision_check": False,
}


@pytest.mark.parametrize(
    "cls, spec, kwargs, check",
    [
        (Unregistered, TINY, {}, r"\[config\] .*register"),
        (
            ForgetsArgument,
            {**TINY, "init_kwargs": {"units": 2}},
            {},
            r"\[config\] get_config\(\) lacks",
        ),
        (Tiny, {**TINY, "expected_output_shape": (3, 5)}, QUIET, r"\[shapes\]"),
        (
            FixedLength,
            {
                "init_kwargs": {"length": 8},
                "input_shape": (2, 8, 3),
                "other_input_shapes": [((2, 6, 3), (2, 2))],
            },
            QUIET,
            r"\[shapes\] the built model rejects input shape",
        ),
        (
            Graph,
            {**GRAPH, "other_input_shapes": [((1, 5, 3), (1, 6, 2))]},
            QUIET,
            r"\[shapes\] predict\(\) at input shape",
        ),
        (Tiny, {**TINY, "expected_num_params": 17}, QUIET, r"\[weights\]"),
        (LosesWeight, TINY, QUIET, r"\[saving\] weight .*offset"),
        (
            DeadBias,
            TINY,
            {
                "run_saving_check": False,
                "run_jit_check": False,
                "run_mixed_precision_check": False,
            },
            r"\[training\] .*extra",
        ),
        (
            BreaksUnderMixed,
            TINY,
            {
                "run_saving_check": False,
                "run_training_check": False,
                "run_jit_check": False,
            },
            r"\[mixed_float16\] the output under",
        ),
    ],
)
def test_broken_model_fails(cls, spec, kwargs, check):
    spec = dict(spec)
    if spec.get("expected_num_params") and cls not in (Tiny, Graph):
        spec["expected_num_params"] = None
    with pytest.raises(AssertionError, match=check):
        run_model_test(cls, **spec, **kwargs)


def test_gradient_exempt_names_the_weight():
    run_model_test(
        DeadBias,
        **{**TINY, "expected_num_params": None},
        gradient_exempt={"extra": "multiplied by zero on purpose"},
        run_saving_check=False,
        run_jit_check=False,
        run_mixed_precision_check=False,
    )


@pytest.mark.skipif(not JIT_BACKEND, reason="jit_compile applies to jax/tensorflow")
def test_traced_output_that_differs_fails_jit():
    with pytest.raises(AssertionError, match=r"\[jit\]"):
        run_model_test(
            TracedDiffers,
            **{**TINY, "expected_num_params": None},
            run_saving_check=False,
            run_training_check=False,
            run_mixed_precision_check=False,
        )
