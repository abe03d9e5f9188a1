"""The harness passes a correct layer and fails, naming the check, on broken ones."""

import keras
import numpy as np
import pytest

from kx.ops.testing import random_inputs, run_layer_test

BACKEND = keras.config.backend()


@keras.saving.register_keras_serializable(package="kx_test")
class Scale(keras.layers.Layer):
    """A correct layer: y = x * w + b, with a non-trainable counter."""

    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), name="w")
        self.b = self.add_weight(shape=(self.units,), name="b", initializer="ones")
        self.seen = self.add_weight(
            shape=(), name="seen", initializer="zeros", trainable=False
        )

    def call(self, x):
        return keras.ops.matmul(x, self.w) + self.b

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


GOOD = dict(
    init_kwargs={"units": 3},
    input_shape=(4, 5),
    expected_output_shape=(4, 3),
    expected_num_trainable_weights=2,
    expected_num_non_trainable_weights=1,
    expected_num_params=5 * 3 + 3 + 1,
)


def test_correct_layer_passes():
    run_layer_test(Scale, **GOOD)


def test_keras_dense_passes():
    run_layer_test(
        keras.layers.Dense,
        init_kwargs={"units": 2},
        input_shape=(3, 4),
        expected_output_shape=(3, 2),
        expected_num_trainable_weights=2,
        expected_num_params=10,
    )


def test_several_inputs_and_outputs():
    run_layer_test(
        keras.layers.Add,
        input_shape=[(2, 3), (2, 3)],
        expected_output_shape=(2, 3),
        expected_num_params=0,
    )


def test_random_inputs_are_seeded():
    a = random_inputs((2, 3), seed=1)
    np.testing.assert_array_equal(a, random_inputs((2, 3), seed=1))
    assert [x.shape for x in random_inputs([(1, 2), (3,)])] == [(1, 2), (3,)]


def test_needs_inputs():
    with pytest.raises(ValueError, match="input_shape"):
        run_layer_test(Scale)


@keras.saving.register_keras_serializable(package="kx_test")
class ForgetsConfig(Scale):
    def get_config(self):
        config = super().get_config()
        del config["units"]
        return config


class Unregistered(Scale):
    pass


@keras.saving.register_keras_serializable(package="kx_test")
class WrongShape(Scale):
    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units + 1)


@keras.saving.register_keras_serializable(package="kx_test")
class ConstantOutput(Scale):
    def call(self, x):
        return keras.ops.zeros_like(keras.ops.matmul(x, self.w)) + 0.0 * keras.ops.sum(
            keras.ops.stop_gradient(self.b)
        )


@keras.saving.register_keras_serializable(package="kx_test")
class NanOutput(Scale):
    def call(self, x):
        return super().call(x) * np.nan


@keras.saving.register_keras_serializable(package="kx_test")
class Float32Output(Scale):
    def call(self, x):
        return keras.ops.cast(super().call(x), "float32")


@keras.saving.register_keras_serializable(package="kx_test")
class Float32Weights(Scale):
    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), name="w", dtype="float32"
        )
        self.b = self.add_weight(shape=(self.units,), name="b", dtype="float32")
        self.seen = self.add_weight(
            shape=(), name="seen", initializer="zeros", trainable=False
        )

    def call(self, x):
        w = keras.ops.cast(self.w, x.dtype)
        return keras.ops.matmul(x, w) + keras.ops.cast(self.b, x.dtype)


@keras.saving.register_keras_serializable(package="kx_test")
class RandomEachCall(Scale):
    """Draws fresh noise at inference: outputs differ after save and load."""

    def call(self, x):
        noise = keras.ops.convert_to_tensor(
            np.random.default_rng().standard_normal(3).astype("float32")
        )
        return super().call(x) + noise


@keras.saving.register_keras_serializable(package="kx_test")
class NotSerializableConfig(Scale):
    def get_config(self):
        return {**super().get_config(), "callback": object()}


@keras.saving.register_keras_serializable(package="kx_test")
class ExtraWeight(Scale):
    def build(self, input_shape):
        super().build(input_shape)
        self.extra = self.add_weight(shape=(2,), name="extra")


@pytest.mark.parametrize(
    "cls, kwargs, check",
    [
        (ForgetsConfig, {}, r"\[config\]"),
        (Unregistered, {}, r"\[config\]"),
        (NotSerializableConfig, {}, r"\[config\]"),
        (WrongShape, {}, r"\[shapes\]"),
        (ExtraWeight, {}, r"\[weights\]"),
        (ConstantOutput, {"run_saving_check": False}, r"\[training\]"),
        (NanOutput, {"run_saving_check": False}, r"\[training\]"),
        (
            Float32Output,
            {"run_saving_check": False, "run_training_check": False},
            r"\[mixed_float16\]",
        ),
        (
            Float32Weights,
            {
                "run_saving_check": False,
                "run_training_check": False,
                "run_mixed_precision_check": False,
            },
            r"\[float64\]",
        ),
    ],
)
def test_broken_layer_fails(cls, kwargs, check):
    good = dict(GOOD)
    if cls is ForgetsConfig:
        good["init_kwargs"] = {"units": 4}
        good["expected_output_shape"] = (4, 4)
        good["expected_num_params"] = None
    with pytest.raises(AssertionError, match=check):
        run_layer_test(cls, **good, **kwargs)


def test_wrong_expected_shape_fails():
    with pytest.raises(AssertionError, match=r"\[shapes\] eager output shape"):
        run_layer_test(Scale, **{**GOOD, "expected_output_shape": (4, 2)})


def test_wrong_dtype_expectation_fails():
    with pytest.raises(AssertionError, match=r"\[shapes\].*dtype"):
        run_layer_test(Scale, **GOOD, expected_output_dtype="float64")


def test_unstable_outputs_fail_saving():
    with pytest.raises(AssertionError, match=r"\[saving\]"):
        run_layer_test(RandomEachCall, **GOOD, run_config_check=False)


@pytest.mark.skipif(BACKEND == "torch", reason="jit_compile applies to jax and tf")
def test_non_compilable_layer_fails_jit():
    @keras.saving.register_keras_serializable(package="kx_test")
    class HostRoundTrip(Scale):
        def call(self, x):
            # Converting to numpy inside call cannot be traced by XLA.
            y = keras.ops.convert_to_numpy(super().call(x))
            return keras.ops.convert_to_tensor(y)

    with pytest.raises(AssertionError, match=r"\[(jit|training)\]"):
        run_layer_test(
            HostRoundTrip,
            **GOOD,
            run_config_check=False,
            run_saving_check=False,
            run_mixed_precision_check=False,
            run_float64_check=False,
        )


@pytest.mark.parametrize("eager_training", [True, False])
def test_eager_training_option(monkeypatch, eager_training):
    compiled = []
    compile_model = keras.Model.compile

    def record(self, *args, **kwargs):
        compiled.append(kwargs.get("jit_compile"))
        return compile_model(self, *args, **kwargs)

    monkeypatch.setattr(keras.Model, "compile", record)
    run_layer_test(
        Scale,
        **GOOD,
        run_config_check=False,
        run_saving_check=False,
        run_jit_check=False,
        run_mixed_precision_check=False,
        run_float64_check=False,
        eager_training=eager_training,
    )
    jit = BACKEND != "torch"
    # the Sequential model's fit first, then the subclassed model's
    assert compiled == [jit and not eager_training, jit]


@keras.saving.register_keras_serializable(package="kx_test")
class Wrapper(keras.layers.Layer):
    """Wraps any layer: the harness must give each instance its own inner layer."""

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)

    def call(self, x):
        return self.layer(x) + x[..., :1]

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config["layer"] = keras.saving.serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layer"] = keras.saving.deserialize_keras_object(config["layer"])
        return cls(**config)


def test_wrapped_layer_instances_are_not_shared():
    inner = Scale(units=3)
    run_layer_test(
        Wrapper,
        init_kwargs={"layer": inner},
        input_shape=(4, 5),
        expected_output_shape=(4, 3),
        expected_num_trainable_weights=2,
        run_mixed_precision_check=False,
        run_float64_check=False,
    )
    assert not inner.built


# Layers broken in the ways the stricter checks exist to catch: each passed the
# harness before those checks.


@keras.saving.register_keras_serializable(package="kx_test")
class UnsavedOffset(Scale):
    """Its zero-initialised offset is never saved: with deterministic initial values
    a reload looks right, so only randomized weights expose it."""

    def build(self, input_shape):
        super().build(input_shape)
        self.offset = self.add_weight(
            shape=(self.units,), name="offset", initializer="zeros"
        )

    def call(self, x):
        return super().call(x) + self.offset

    def save_own_variables(self, store):
        store["0"] = self.w.numpy() if hasattr(self.w, "numpy") else self.w
        store["1"] = keras.ops.convert_to_numpy(self.b)
        store["2"] = keras.ops.convert_to_numpy(self.seen)

    def load_own_variables(self, store):
        self.w.assign(store["0"])
        self.b.assign(store["1"])
        self.seen.assign(store["2"])


@keras.saving.register_keras_serializable(package="kx_test")
class DeadBias(Scale):
    """The bias never reaches the output; the kernel still trains."""

    def call(self, x):
        return keras.ops.matmul(x, self.w) + keras.ops.stop_gradient(self.b)


@keras.saving.register_keras_serializable(package="kx_test")
class TracedDiffers(Scale):
    """Adds one only when its input holds concrete values."""

    def call(self, x):
        y = super().call(x)
        try:
            keras.ops.convert_to_numpy(x)
        except Exception:
            return y
        return y + 1.0


@keras.saving.register_keras_serializable(package="kx_test")
class ZerosInHalf(Scale):
    """Right dtypes, wrong values under a float16 compute dtype."""

    def call(self, x):
        y = super().call(x)
        if self.compute_dtype == "float16":
            return keras.ops.zeros_like(y)
        return y


@keras.saving.register_keras_serializable(package="kx_test")
class Float32Inside(Scale):
    """Returns float64 under dtype="float64", computed in float32."""

    def call(self, x):
        y = keras.ops.matmul(
            keras.ops.cast(x, "float32"), keras.ops.cast(self.w, "float32")
        )
        return keras.ops.cast(y, x.dtype) + self.b


@keras.saving.register_keras_serializable(package="kx_test")
class IgnoresMask(keras.layers.Layer):
    """Accepts a mask and ignores it: a mean over every step."""

    def call(self, x, mask=None):
        return keras.ops.mean(x, axis=1)


@keras.saving.register_keras_serializable(package="kx_test")
class HonoursMask(keras.layers.Layer):
    """A mean over the unmasked steps (all steps without a mask)."""

    def call(self, x, mask=None):
        if mask is None:
            return keras.ops.mean(x, axis=1)
        m = keras.ops.cast(mask, x.dtype)[..., None]
        return keras.ops.sum(x * m, axis=1) / keras.ops.sum(m, axis=1)


MASK = np.array([[True, True, False], [True, False, False]])
MASKED = dict(input_shape=(2, 3, 4), input_mask=MASK, run_training_check=False)


@pytest.mark.parametrize(
    "cls, kwargs, check",
    [
        (UnsavedOffset, {}, r"\[saving\] weight .*offset"),
        (DeadBias, {"run_saving_check": False}, r"\[training\] .*'.*b'"),
        (ZerosInHalf, {"run_saving_check": False, "run_training_check": False},
         r"\[mixed_float16\] the output .* away from the float32"),
    ],
)  # fmt: skip
def test_stricter_checks_fail(cls, kwargs, check):
    spec = {**GOOD, "expected_num_params": None, "expected_num_trainable_weights": None}
    with pytest.raises(AssertionError, match=check):
        run_layer_test(cls, **spec, **kwargs)


def test_gradient_exempt_needs_a_name():
    run_layer_test(
        DeadBias,
        **{**GOOD, "expected_num_params": None},
        gradient_exempt={"/b": "stopped on purpose in this test"},
        run_saving_check=False,
        run_mixed_precision_check=False,
        run_float64_check=False,
    )


@pytest.mark.skipif(BACKEND == "torch", reason="jit_compile applies to jax and tf")
def test_traced_output_that_differs_fails_jit():
    with pytest.raises(AssertionError, match=r"\[jit\] .*run_eagerly"):
        run_layer_test(
            TracedDiffers,
            **{**GOOD, "expected_num_params": None},
            run_saving_check=False,
            run_training_check=False,
            run_mixed_precision_check=False,
            run_float64_check=False,
        )


@pytest.mark.skipif(
    BACKEND != "tensorflow",
    reason="the precision check runs on tensorflow only: Keras's result_type maps "
    "float64 to float32 on jax and torch",
)
def test_float32_inside_a_float64_layer_fails():
    with pytest.raises(AssertionError, match=r"\[float64\] .*float32"):
        run_layer_test(
            Float32Inside,
            **{**GOOD, "expected_num_params": None},
            run_saving_check=False,
            run_training_check=False,
            run_mixed_precision_check=False,
        )


def test_mask_check():
    run_layer_test(HonoursMask, **MASKED)
    with pytest.raises(AssertionError, match=r"\[mask\]"):
        run_layer_test(IgnoresMask, **MASKED)


@keras.saving.register_keras_serializable(package="kx_test")
class Shift(keras.layers.Layer):
    """y = mean over steps + offset, the offset a call argument."""

    def call(self, x, offset=0.0):
        return keras.ops.mean(x, axis=1) + offset


def test_expected_output_and_call_kwargs():
    x = random_inputs((2, 3, 4))
    run_layer_test(
        Shift, input_data=x, call_kwargs={"offset": 1.5},
        expected_output=x.mean(1) + 1.5, run_training_check=False,
    )  # fmt: skip
    with pytest.raises(AssertionError, match=r"\[values\]"):
        run_layer_test(
            Shift, input_data=x, call_kwargs={"offset": 1.5},
            expected_output=x.mean(1), run_training_check=False,
        )  # fmt: skip
