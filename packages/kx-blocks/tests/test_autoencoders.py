"""The 18 autoencoder models: the model harness on each with hand-counted
parameters, the shape algebra of every depth at odd sizes, None sizes, a
denoising FCN, signatures and bad input."""

import keras
import numpy as np
import pytest
from blocks_signatures import assert_rank_signature

from kx.blocks import models
from kx.ops.testing import run_model_test

FAMILIES = ["FCN", "SmoothFCN", "FourierFCN", "Unet", "SmoothUnet", "FourierUnet"]
INPUTS = {1: (2, 9, 1), 2: (2, 7, 5, 1), 3: (1, 5, 5, 3, 1)}
OTHER = {1: (2, 11, 1), 2: (2, 5, 7, 1), 3: (1, 3, 5, 5, 1)}


def hand_counted_params(family, rank):
    """filters [2, 3], kernel 3, 1 input channel, 2 levels (counted by hand)."""
    k, t = 3**rank, 2**rank  # weights per channel pair of a kernel 3 and 2
    encoders = (k * 1 * 2 + 2) + (t * 2 * 2 + 2)  # level 0: conv 1->2, down 2->2
    encoders += (k * 2 * 3 + 3) + (t * 3 * 3 + 3)  # level 1: conv 2->3, down 3->3
    # upsampling to the level's filters[0]: transposed kernel 2, or kernel 3
    up = t if family in ("FCN", "Unet") else k
    skip = family.endswith("Unet")  # concatenated skips double the conv inputs
    level1 = (up * 3 * 3 + 3) + (k * (6 if skip else 3) * 3 + 3)  # 3 -> 3
    level0 = (up * 3 * 2 + 2) + (k * (4 if skip else 2) * 2 + 2)  # 3 -> 2
    return encoders + level1 + level0


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("family", FAMILIES)
def test_model_harness(family, rank):
    cls = getattr(models, f"{family}{rank}D")
    shape, other = INPUTS[rank], OTHER[rank]
    full = rank == 1 or keras.config.backend() == "torch"
    # gelu: with relu, the 2-channel output of so small a model can be all zeros
    # at a seed (kerex's last convolution has the activation too), and then no
    # weight gets a gradient (FourierFCN1D on jax at seed 0)
    run_model_test(
        cls,
        {"filters": [2, 3], "kernel_size": 3, "activation": "gelu"},
        input_shape=shape,
        expected_output_shape=(*shape[:-1], 2),
        expected_num_params=hand_counted_params(family, rank),
        other_input_shapes=[(other, (*other[:-1], 2))],
        # one N-d model behind the 18: every check in 1D, and in every rank on
        # torch; on jax and tensorflow 2D and 3D skip the compiled training, jit
        # and mixed-precision checks (XLA compiles of ~40 s a model there)
        run_training_check=full,
        run_jit_check=full,
        run_mixed_precision_check=full,
    )


def test_bottleneck_and_head_are_saved():
    bottleneck = keras.layers.Conv1D(3, 1, name="bottleneck")
    run_model_test(
        models.Unet1D,
        {
            "filters": [2, 3],
            "kernel_size": 3,
            "bottleneck": bottleneck,
            "output_filters": 1,
            "merge_layer": "add",
        },
        input_shape=(2, 9, 1),
        expected_output_shape=(2, 9, 1),
        run_mixed_precision_check=False,
        run_jit_check=False,
    )


# -- shapes -------------------------------------------------------------------------

SIZES = {1: (9,), 2: (7, 5), 3: (5, 3, 7)}


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("family", FAMILIES)
def test_every_depth_keeps_odd_sizes(family, rank, depth):
    """Symbolically through every layer: the output has the input's sizes."""
    cls = getattr(models, f"{family}{rank}D")
    model = cls(filters=[1] * depth, kernel_size=1)
    inputs = keras.Input((*SIZES[rank], 2))
    outputs = model(inputs)
    assert tuple(outputs.shape) == (None, *SIZES[rank], 1)
    assert model.compute_output_shape((None, *SIZES[rank], 2)) == (
        None,
        *SIZES[rank],
        1,
    )


@pytest.mark.parametrize("family", FAMILIES)
def test_none_sizes(family):
    model = getattr(models, f"{family}2D")(filters=[2, 3], kernel_size=3)
    inputs = keras.Input((None, None, 1))
    functional = keras.Model(inputs, model(inputs))
    for size in [(7, 5), (12, 9)]:
        y = functional.predict(np.ones((1, *size, 1), "float32"), verbose=0)
        assert y.shape == (1, *size, 2)


def test_fourier_fcn_scaling_factor_sets_the_output_size():
    model = models.FourierFCN1D(filters=[2, 2], kernel_size=3, scaling_factor=[4, 2])
    # 10 is padded to 12; the output is 10 * (4 * 2) / 2**2 = 20
    assert tuple(model(np.ones((1, 10, 1), "float32")).shape) == (1, 20, 2)
    revived = models.FourierFCN1D.from_config(model.get_config())
    assert revived.scaling_factor == [(4,), (2,)]


def test_channels_first_equals_channels_last():
    x = np.random.default_rng(0).standard_normal((2, 7, 5, 1)).astype("float32")
    last = models.Unet2D(filters=[2, 3], kernel_size=3)
    first = models.Unet2D(filters=[2, 3], kernel_size=3, data_format="channels_first")
    expected = keras.ops.convert_to_numpy(last(x))
    first(np.moveaxis(x, -1, 1))
    first.set_weights(last.get_weights())
    got = keras.ops.convert_to_numpy(first(np.moveaxis(x, -1, 1)))
    np.testing.assert_allclose(np.moveaxis(got, 1, -1), expected, atol=1e-5)


def test_unet_skips_carry_signal():
    """Unet and an FCN with the same weights but no skips differ."""
    x = np.random.default_rng(1).standard_normal((2, 9, 1)).astype("float32")
    unet = models.FCN1D(filters=[2, 3], kernel_size=3, use_skip_connection=True)
    unet_out = keras.ops.convert_to_numpy(unet(x))
    # merge "add" keeps the weight shapes, so zeroing the skip is the same model
    # with the skip multiplied by 0: compare the add-merged model with and without
    add = models.FCN1D(
        filters=[2, 3], kernel_size=3, use_skip_connection=True, merge_layer="add"
    )
    plain = models.FCN1D(filters=[2, 3], kernel_size=3, use_skip_connection=False)
    add_out = keras.ops.convert_to_numpy(add(x))
    plain(x)
    plain.set_weights(add.get_weights())
    plain_out = keras.ops.convert_to_numpy(plain(x))
    assert unet_out.shape == add_out.shape == plain_out.shape == (2, 9, 2)
    assert np.max(np.abs(add_out - plain_out)) > 1e-3


# -- training -----------------------------------------------------------------------


def test_denoising_fcn_halves_the_noise():
    """Trained for 100 steps (one pass over fresh signals) on random sines plus
    white noise, an FCN at least halves the noise's mean squared error on
    signals it has not seen."""
    rng = np.random.default_rng(0)
    t = np.linspace(0, 1, 32, endpoint=False)
    n = 32 * 100 + 64  # 100 batches of 32 to train on, 64 to test on
    freq = rng.uniform(1, 3, (n, 1))
    phase = rng.uniform(0, 2 * np.pi, (n, 1))
    clean = np.sin(2 * np.pi * freq * t + phase)[..., None].astype("float32")
    noisy = (clean + 0.6 * rng.standard_normal(clean.shape)).astype("float32")
    keras.utils.set_random_seed(0)
    model = models.FCN1D(filters=[16, 16], kernel_size=5, output_filters=1)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(noisy[:-64], clean[:-64], batch_size=32, epochs=1, verbose=0)
    denoised = model.predict(noisy[-64:], verbose=0)
    noise_mse = np.mean((noisy[-64:] - clean[-64:]) ** 2)
    denoised_mse = np.mean((denoised - clean[-64:]) ** 2)
    assert denoised_mse <= 0.5 * noise_mse, (denoised_mse, noise_mse)


# -- signatures and bad input -------------------------------------------------------


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("family", FAMILIES)
def test_rank_subclass_signature_is_the_base_one_without_rank(family, rank):
    base, cls = getattr(models, family), getattr(models, f"{family}{rank}D")
    assert_rank_signature(base, cls, rank)
    assert cls().rank == rank


@pytest.mark.parametrize(
    "cls,kwargs,match",
    [
        ("FCN1D", {"filters": []}, "FCN1D: `filters` must be a non-empty list"),
        ("Unet2D", {"filters": [2, 0]}, "Unet2D: `filters`"),
        (
            "FCN2D",
            {"filters": [2, 3], "kernel_size": [3, 3, 3]},
            "FCN2D: `kernel_size` must be one value or a list of 2",
        ),
        ("SmoothUnet1D", {"filters": [2, 3], "groups": [1]}, "SmoothUnet1D: `groups`"),
        ("FCN1D", {"use_skip_connection": [True]}, "FCN1D: `use_skip_connection`"),
        ("Unet3D", {"merge_layer": "concat"}, "Unet3D: `merge_layer`"),
        ("SmoothFCN1D", {"interpolation": "bilinear"}, "SmoothFCN1D: `interpolation`"),
        ("SmoothUnet2D", {"interpolation": "cubic"}, "SmoothUnet2D: `interpolation`"),
        ("FCN2D", {"padding": "causal"}, "FCN2D: `padding`"),
        ("Unet1D", {"strides": 2}, "Unet1D: `strides`"),
        (
            "FourierFCN1D",
            {"filters": [2], "scaling_factor": 3, "use_skip_connection": True},
            "FourierFCN1D: `scaling_factor`",
        ),
        ("FCN1D", {"bottleneck": "dense"}, "FCN1D: `bottleneck`"),
        ("FCN1D", {"output_filters": 0}, "FCN1D: `output_filters`"),
    ],
)
def test_bad_arguments(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(models, cls)(**kwargs)


def test_rank_mismatch_at_build():
    with pytest.raises(ValueError, match="FCN2D: `input_shape`.*4 dims"):
        models.FCN2D(filters=[2])(np.ones((2, 8, 1), "float32"))
