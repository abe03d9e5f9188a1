"""NeuralOperator models: harness, hand-counted parameters (equal to
neuraloperator's FNO/TFNO at the same configuration), zero-shot
super-resolution, bad input."""

import math

import keras
import numpy as np
import pytest
from blocks_signatures import assert_rank_signature

from kx.blocks.models import (
    NeuralOperator,
    NeuralOperator1D,
    NeuralOperator2D,
    NeuralOperator3D,
)
from kx.ops.testing import run_model_test


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _built(cls, input_shape, **kwargs):
    # zeros: nothing random to draw (and compile, on jax) just to count
    model = cls(kernel_initializer="zeros", **kwargs)
    model.build(input_shape)
    return model


# ---------------------------------------------------------------- harness


def test_harness_neural_operator1d():
    # one harness run (jax compiles every check) with the optional parts on:
    # Tucker weights, group norms, domain padding, channels first
    # lifting (1 channel + 1 grid coordinate): 2 -> 8 -> 4: 2*8 + 8 + 8*4 + 4 = 60
    # spectral kernel (3 modes, 4, 4) at Tucker rank 2: core 2^3 = 8, factors
    # (3 + 4 + 4) * 2 = 22: 30 complex = 60 real, bias 4: 64
    # each block: 64 + linear fno skip 4*4 = 16 + channel MLP 4 -> 2 -> 4
    # (4*2 + 2 + 2*4 + 4 = 22) + soft gate 4 + two group norms 2 * (4 + 4) = 16:
    # 122
    # projection 4 -> 8 -> 1: 4*8 + 8 + 8*1 + 1 = 49
    # 60 + 2 * 122 + 49 = 353
    run_model_test(
        NeuralOperator1D,
        init_kwargs={
            "filters": [4, 4],
            "modes": 3,
            "input_projection_dimension": 4,
            "output_projection_dimension": 1,
            "data_format": "channels_first",
            "domain_padding": 0.25,
            "normalization": "group_norm",
            "factorization": "tucker",
            "factorization_rank": 2,
        },
        input_shape=(2, 1, 16),
        expected_output_shape=(2, 1, 16),
        expected_num_params=353,
        other_input_shapes=[((2, 1, 32), (2, 1, 32)), ((3, 1, 24), (3, 1, 24))],
    )


def _gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def test_forward_is_li_et_al_equations_in_numpy():
    # Li et al. (2021), eq. (2): v <- gelu(K(v) + W v), one activation per block
    # (none after the last), with K(v) = irfft(R . rfft(v)[:modes]) + b; the grid
    # coordinate j / n appended, a linear lifting, a projection MLP
    n, modes = 16, 3
    model = NeuralOperator1D(
        filters=[4, 4],
        modes=modes,
        input_projection_dimension=4,
        output_projection_dimension=1,
        lifting_channel_ratio=0,
        projection_channel_ratio=2,
        use_channel_mlp=False,
    )
    model.build((None, n, 1))
    rng = np.random.default_rng(0)
    weights = [
        rng.standard_normal(w.shape).astype("float32") * 0.5 for w in model.weights
    ]
    model.set_weights(weights)
    w = {v.path.split("/", 1)[1]: a for v, a in zip(model.weights, weights)}
    u = rng.standard_normal((2, n, 1)).astype("float32")

    grid = np.broadcast_to((np.arange(n) / n)[None, :, None], (2, n, 1))
    v = np.concatenate([u, grid], -1) @ w["lifting_0/kernel"] + w["lifting_0/bias"]
    for i in range(2):
        spectrum = np.fft.rfft(v, axis=1, norm="forward")[:, :modes]
        kernel = (
            w[f"spectral_conv_{i}/real_kernel"]
            + 1j * w[f"spectral_conv_{i}/imag_kernel"]
        )
        mixed = np.einsum("bki,kio->bko", spectrum, kernel)
        full = np.zeros((2, n // 2 + 1, 4), complex)
        full[:, :modes] = mixed
        k_v = (
            np.fft.irfft(full, n, axis=1, norm="forward") + w[f"spectral_conv_{i}/bias"]
        )
        v = k_v + v @ w[f"fno_skip_{i}/kernel"]
        if i == 0:
            v = _gelu(v)
    hidden = _gelu(v @ w["projection_0/kernel"] + w["projection_0/bias"])
    expected = hidden @ w["projection_1/kernel"] + w["projection_1/bias"]

    np.testing.assert_allclose(_np(model(u)), expected, rtol=1e-4, atol=1e-5)


def test_neural_operator2d_shapes_and_count():
    # lifting 3 + 2 grid = 5 -> 8 -> 4: 5*8 + 8 + 8*4 + 4 = 84
    # each block, width 4, modes (2, 3): spectral 2 * (4*3*4*4) + 4 = 388, linear
    # skip 16, channel MLP 22, soft gate 4: 430
    # projection 4 -> 8 -> 2: 4*8 + 8 + 8*2 + 2 = 58
    # 84 + 2 * 430 + 58 = 1002
    model = NeuralOperator2D(
        filters=[4, 4],
        modes=(2, 3),
        input_projection_dimension=4,
        output_projection_dimension=2,
    )
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 3)).astype("float32")
    assert tuple(model(x).shape) == (2, 8, 8, 2)
    assert model.count_params() == 1002
    assert tuple(model(np.zeros((1, 12, 10, 3), "float32")).shape) == (1, 12, 10, 2)


def test_neural_operator3d_no_projections_shapes_and_count():
    # one block 2 -> 2, 2 modes: spectral kernel (4, 4, 2, 2, 2) = 128 complex =
    # 256 real, bias 2: 258; linear fno skip 2*2 = 4; channel MLP 2 -> 1 -> 2:
    # 2*1 + 1 + 1*2 + 2 = 7; linear channel-MLP skip 4: 273
    model = NeuralOperator3D(
        filters=2, modes=2, positional_embedding=None, channel_mlp_skip="linear"
    )
    x = np.random.default_rng(0).normal(size=(1, 6, 6, 6, 2)).astype("float32")
    assert tuple(model(x).shape) == (1, 6, 6, 6, 2)
    assert model.count_params() == 273
    assert tuple(model(np.zeros((1, 8, 6, 10, 2), "float32")).shape) == (1, 8, 6, 10, 2)
    assert model.compute_output_shape((None, None, 6, None, 2)) == (
        None,
        None,
        6,
        None,
        2,
    )


# ------------------------------------------- counts against neuraloperator


def test_benchmark_config_equals_neuraloperator_fno_count():
    # neuraloperator FNO(n_modes=(16,), in_channels=1, out_channels=1,
    # hidden_channels=64), defaults n_layers=4, lifting/projection ratio 2, grid
    # embedding, channel MLP expansion 0.5, fno_skip linear (no bias),
    # channel_mlp_skip soft-gating. Its 16 modes keep 16 // 2 + 1 = 9: kx modes=9.
    # lifting Conv1d 2 -> 128 -> 64: 2*128 + 128 + 128*64 + 64 = 8640
    # block: spectral complex (64, 64, 9): 2 * 36864 = 73728, bias 64; skip
    # 64*64 = 4096; channel MLP 64 -> 32 -> 64: 64*32 + 32 + 32*64 + 64 = 4192;
    # soft gate 64: 82144
    # projection 64 -> 128 -> 1: 64*128 + 128 + 128 + 1 = 8449
    # 8640 + 4 * 82144 + 8449 = 345665
    kwargs = {
        "filters": [64] * 4,
        "modes": 9,
        "input_projection_dimension": 64,
        "output_projection_dimension": 1,
    }
    assert _built(NeuralOperator1D, (None, None, 1), **kwargs).count_params() == 345665
    # TFNO (Tucker, rank 0.1): (64, 64, 9) gets ranks (20, 20, 3) by tensorly's
    # rule: core 1200 + factors 1280 + 1280 + 27 = 3787 complex = 7574 real, so a
    # block is 82144 - 73728 + 7574 = 15990: 8640 + 4 * 15990 + 8449 = 81049
    tucker = _built(NeuralOperator1D, (None, None, 1), factorization="tucker", **kwargs)
    assert tucker.count_params() == 81049


def test_2d_count_equals_neuraloperator_fno():
    # neuraloperator FNO(n_modes=(4, 6), in_channels=3, out_channels=2,
    # hidden_channels=8, n_layers=2): kept modes (4, 6 // 2 + 1 = 4): kx (2, 4)
    # lifting 5 -> 16 -> 8: 5*16 + 16 + 16*8 + 8 = 232
    # block: spectral 2 * 8*8*4*4 + 8 = 2056, skip 64, MLP 8 -> 4 -> 8:
    # 8*4 + 4 + 4*8 + 8 = 76, gate 8: 2204
    # projection 8 -> 16 -> 2: 8*16 + 16 + 16*2 + 2 = 178
    # 232 + 2 * 2204 + 178 = 4818
    model = _built(
        NeuralOperator2D,
        (None, None, None, 3),
        filters=[8, 8],
        modes=(2, 4),
        input_projection_dimension=8,
        output_projection_dimension=2,
    )
    assert model.count_params() == 4818


# ------------------------------------------------ zero-shot super-resolution


def _heat_data(n_samples, points, rng):
    """Random band-limited periodic u and one heat-equation step of it."""
    k = np.arange(1, 7)
    a = rng.normal(size=(n_samples, 6)) / k
    b = rng.normal(size=(n_samples, 6)) / k
    x = np.arange(points) / points
    phase = 2 * np.pi * k[None, :] * x[:, None]  # (points, 6)
    u = a @ np.cos(phase).T + b @ np.sin(phase).T
    decay = np.exp(-0.01 * (2 * np.pi * k) ** 2)  # kappa t = 0.01
    v = (a * decay) @ np.cos(phase).T + (b * decay) @ np.sin(phase).T
    return u[..., None].astype("float32"), v[..., None].astype("float32")


def _relative_l2(pred, true):
    return float(np.linalg.norm(pred - true) / np.linalg.norm(true))


def test_zero_shot_super_resolution():
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    u64, v64 = _heat_data(128, 64, rng)
    model = NeuralOperator1D(
        filters=[16, 16],
        modes=8,
        input_projection_dimension=16,
        output_projection_dimension=1,
        projection_channel_ratio=1,
        lifting_channel_ratio=1,
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(u64, v64, batch_size=32, epochs=15, verbose=0)
    # the same functions at 64 and 128 points
    test = np.random.default_rng(1)
    u_test, v_test = _heat_data(64, 64, test)
    test = np.random.default_rng(1)
    u_fine, v_fine = _heat_data(64, 128, test)
    error64 = _relative_l2(_np(model.predict(u_test, verbose=0)), v_test)
    error128 = _relative_l2(_np(model.predict(u_fine, verbose=0)), v_fine)
    assert error64 < 0.1, error64
    assert error128 < 1.5 * error64 + 0.01, (error64, error128)


# ------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"filters": [], "modes": 2}, "`filters` must be"),
        ({"filters": [4, 4], "modes": [2, 2, 2]}, "not longer than `filters`"),
        ({"filters": [4, 4], "modes": [2]}, "not shorter than `filters`"),
        ({"filters": 4, "modes": 2, "merge_layer": "dot"}, "`merge_layer` must be"),
        ({"filters": 4, "modes": 2, "fno_skip": "gated"}, "`fno_skip` must be"),
        (
            {"filters": 4, "modes": 2, "channel_mlp_skip": "skip"},
            "`channel_mlp_skip` must be",
        ),
        ({"filters": 4, "modes": 2, "normalization": "ln"}, "`normalization` must"),
        ({"filters": 4, "modes": 2, "factorization": "tt"}, "`factorization` must"),
        (
            {"filters": 4, "modes": 2, "factorization": "cp", "factorization_rank": 0},
            "`factorization_rank` must be a positive",
        ),
        (
            {"filters": 4, "modes": 2, "factorization_rank": -0.5},
            "`factorization_rank` must be a positive",
        ),
        ({"filters": 4, "modes": 2, "domain_padding": 2.0}, "`domain_padding`"),
        ({"filters": 4, "modes": (2, 2)}, "`modes` must be"),
    ],
)
def test_bad_arguments_are_value_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        NeuralOperator1D(**kwargs)


def test_rank_mismatch_with_the_input_is_a_value_error():
    model = NeuralOperator1D(filters=4, modes=2)
    with pytest.raises(ValueError, match="NeuralOperator1D: `input_shape` must be"):
        model.build((2, 8, 8, 1))


def test_identity_skip_across_a_width_change_is_a_value_error():
    model = NeuralOperator1D(filters=4, modes=2, fno_skip="identity")
    with pytest.raises(ValueError, match="`fno_skip` must be 'linear' or None"):
        model.build((2, 16, 5))  # 5 channels + 1 grid coordinate -> 4


# ------------------------------------------------------------- signatures


@pytest.mark.parametrize("cls", [NeuralOperator1D, NeuralOperator2D, NeuralOperator3D])
def test_rank_subclass_signature_is_the_base_one_without_rank(cls):
    assert_rank_signature(NeuralOperator, cls)
