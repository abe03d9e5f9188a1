"""Factorized (Tucker, CP) SpectralConv and FNO: harness, equality with the dense
layer built from the reconstructed weight, hand-counted parameters, bad input."""

import keras
import numpy as np
import pytest

from kx.layers import FNO1D, SpectralConv1D, SpectralConv2D
from kx.ops.testing import run_layer_test


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _complex(pair):
    return _np(pair[0]) + 1j * _np(pair[1])


def numpy_tucker(core, factors):
    """``core x_1 U_1 ... x_K U_K``, one mode product at a time."""
    w = core
    for k, u in enumerate(factors):
        w = np.moveaxis(np.tensordot(u, w, axes=([1], [k])), 0, k)
    return w


def numpy_cp(weights, factors):
    """``sum_r weights[r] U_1[:, r] o ... o U_K[:, r]``."""
    w = 0
    for r in range(weights.shape[0]):
        outer = weights[r]
        for u in factors:
            outer = np.multiply.outer(outer, u[:, r])
        w = w + outer
    return w


def test_harness_tucker_spectral_conv1d():
    # kernel (3 modes, 5 in, 4 out), Tucker rank 2 on every mode:
    # core 2*2*2 = 8, factors 3*2 + 5*2 + 4*2 = 24: 32 complex = 64 real,
    # plus the bias 4: 68
    run_layer_test(
        SpectralConv1D,
        init_kwargs={
            "filters": 4,
            "modes": 3,
            "factorization": "tucker",
            "factorization_rank": 2,
        },
        input_shape=(2, 16, 5),
        expected_output_shape=(2, 16, 4),
        expected_num_params=68,
    )


def test_cp_spectral_conv2d_parameter_count():
    # kernel (2*2, 3, 3 in, 2 out) = 72 entries; CP rank round(0.5 * 72 / 12) = 3:
    # weights 3 + factors (4 + 3 + 3 + 2) * 3 = 36: 39 complex = 78 real, bias 2: 80
    layer = SpectralConv2D(
        filters=2, modes=(2, 3), factorization="cp", factorization_rank=0.5
    )
    layer.build((2, 8, 8, 3))
    assert layer.compute_output_shape((2, 8, 8, 3)) == (2, 8, 8, 2)
    assert layer.count_params() == 80


def test_harness_cp_fno1d():
    # kernel (3, 5, 4) = 60 entries at CP rank round(0.5 * 60 / 12) = 2 (cp_rank):
    # weights 2 + factors (3 + 5 + 4) * 2 = 24: 26 complex = 52 real; spectral
    # bias 4; 1x1 path 5*4 + 4 = 24: 80
    run_layer_test(
        FNO1D,
        init_kwargs={
            "filters": 4,
            "modes": 3,
            "factorization": "cp",
            "factorization_rank": 0.5,
        },
        input_shape=(2, 16, 5),
        expected_output_shape=(2, 16, 4),
        expected_num_params=80,
        # the float64 and mixed-precision paths are the Tucker harness's (the
        # rebuilt weight goes through the same casts)
        run_float64_check=False,
        run_mixed_precision_check=False,
    )


@pytest.mark.parametrize("factorization", ["tucker", "cp"])
def test_factorized_equals_dense_built_from_the_reconstructed_weight(factorization):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 12, 10, 3)).astype("float32")
    kwargs = {"filters": 4, "modes": (3, 4)}
    factorized = SpectralConv2D(
        factorization=factorization, factorization_rank=0.3, **kwargs
    )
    factorized.build(x.shape)
    # random weights everywhere (a fresh CP starts with weights 1 + 0i)
    factorized.set_weights(
        [rng.normal(size=w.shape).astype("float32") for w in factorized.weights]
    )
    core = _complex(factorized.core)
    factors = [_complex(pair) for pair in factorized.factors]
    rebuild = numpy_tucker if factorization == "tucker" else numpy_cp
    weight = rebuild(core, factors)
    assert weight.shape == (6, 4, 3, 4)
    np.testing.assert_allclose(
        _complex(factorized.complex_kernel()), weight, rtol=1e-4, atol=1e-4
    )
    dense = SpectralConv2D(**kwargs)
    dense.build(x.shape)
    dense.set_weights(
        [weight.real.astype("float32"), weight.imag.astype("float32"),
         _np(factorized.bias)]
    )  # fmt: skip
    np.testing.assert_allclose(_np(factorized(x)), _np(dense(x)), rtol=1e-4, atol=1e-4)


def test_default_is_the_dense_layer_with_its_weight_names():
    layer = SpectralConv1D(filters=3, modes=2)
    layer.build((None, 8, 2))
    assert [w.name for w in layer.weights] == ["real_kernel", "imag_kernel", "bias"]
    config = layer.get_config()
    assert config["factorization"] is None
    # an old config (without the new keys) builds the same dense layer
    old = {k: v for k, v in config.items() if not k.startswith("factorization")}
    assert SpectralConv1D.from_config(old).get_config() == config


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"factorization": "tt"}, "`factorization` must be one of"),
        ({"factorization": "tucker", "factorization_rank": 0}, "factorization_rank"),
        ({"factorization": "cp", "factorization_rank": -0.1}, "factorization_rank"),
        ({"factorization": "cp", "factorization_rank": True}, "factorization_rank"),
        ({"factorization": "tucker", "factorization_rank": [2, 0]}, "rank"),
    ],
)
def test_bad_factorization_is_a_value_error(kwargs, match):
    for cls in (SpectralConv1D, FNO1D):
        with pytest.raises(ValueError, match=match):
            cls(filters=2, modes=2, **kwargs)
