"""Encoder and decoder blocks: the harness in every rank with hand-counted
parameters, numpy references, the skip's signal, signatures and bad input."""

import keras
import numpy as np
import pytest
from blocks_signatures import assert_rank_signature

from kx.blocks import (
    Decoder,
    Decoder1D,
    Decoder2D,
    Decoder3D,
    Encoder,
    Encoder1D,
    Encoder2D,
    Encoder3D,
    FourierDecoder,
    FourierDecoder1D,
    FourierDecoder2D,
    FourierDecoder3D,
    SmoothDecoder,
    SmoothDecoder1D,
    SmoothDecoder2D,
    SmoothDecoder3D,
)
from kx.ops.testing import run_layer_test

ENCODERS = {1: Encoder1D, 2: Encoder2D, 3: Encoder3D}
DECODERS = {
    "transpose": {1: Decoder1D, 2: Decoder2D, 3: Decoder3D},
    "smooth": {1: SmoothDecoder1D, 2: SmoothDecoder2D, 3: SmoothDecoder3D},
    "fourier": {1: FourierDecoder1D, 2: FourierDecoder2D, 3: FourierDecoder3D},
}
ENCODER_INPUTS = {1: (2, 9, 2), 2: (2, 7, 6, 2), 3: (1, 6, 5, 7, 2)}
# decoder input (half size, 3 channels) and skip (2 channels)
DECODER_INPUTS = {
    1: [(2, 4, 3), (2, 8, 2)],
    2: [(2, 3, 4, 3), (2, 6, 8, 2)],
    3: [(1, 3, 3, 4, 3), (1, 6, 6, 8, 2)],
}


def _full(rank):
    """Every check in 1D, and in every rank on torch; on jax and tensorflow the
    2D and 3D classes (the same N-d code) skip the compiled training, jit and
    mixed-precision checks, whose XLA compiles cost ~30 s a class there."""
    return rank == 1 or keras.config.backend() == "torch"


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_encoder_harness(rank):
    k, t = 3**rank, 2**rank  # weights of a kernel 3 and of a kernel 2
    params = (k * 2 * 2 + 2) + (k * 2 * 3 + 3) + (t * 3 * 3 + 3)  # conv, conv, down
    shape = ENCODER_INPUTS[rank]
    down = (shape[0], *[(n + 1) // 2 for n in shape[1:-1]], 3)
    run_layer_test(
        ENCODERS[rank],
        {"filters": [2, 3], "kernel_size": 3, "use_skip_connection": True},
        input_shape=shape,
        expected_output_shape=[down, (*shape[:-1], 3)],
        expected_num_params=params,
        run_float64_check=False,  # cost: the blocks are Keras convolutions
        run_training_check=_full(rank),
        run_jit_check=_full(rank),
        run_mixed_precision_check=_full(rank),
        eager_training=False,
    )


@pytest.mark.parametrize("kind", ["transpose", "smooth", "fourier"])
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_decoder_harness(kind, rank):
    k, t = 3**rank, 2**rank
    upsampling = {"transpose": t * 3 * 2 + 2, "smooth": k * 3 * 2 + 2}
    upsampling["fourier"] = upsampling["smooth"]  # FFT resampling, then a conv
    # concatenate: 2 upsampled + 2 skip channels into the first convolution
    params = upsampling[kind] + (k * 4 * 2 + 2) + (k * 2 * 3 + 3)
    x, skip = DECODER_INPUTS[rank]
    run_layer_test(
        DECODERS[kind][rank],
        {"filters": [2, 3], "kernel_size": 3},
        input_shape=[x, skip],
        expected_output_shape=(*skip[:-1], 3),
        expected_num_params=params,
        run_float64_check=False,  # cost: the blocks are Keras convolutions
        run_training_check=_full(rank),
        run_jit_check=_full(rank),
        run_mixed_precision_check=_full(rank),
        eager_training=False,
    )


# -- numpy references ---------------------------------------------------------------


def np_conv1d_same(x, kernel, bias, stride=1):
    """keras "same" convolution: (batch, n, c) with kernel (k, c, f); the extra
    padding of an uneven total goes to the right."""
    k = kernel.shape[0]
    n = x.shape[1]
    out = -(-n // stride)
    total = max((out - 1) * stride + k - n, 0)
    left = total // 2
    xp = np.pad(x, ((0, 0), (left, total - left), (0, 0)))
    y = np.zeros((x.shape[0], out, kernel.shape[2]))
    for i in range(out):
        window = xp[:, i * stride : i * stride + k, :]  # (batch, k, c)
        y[:, i] = np.einsum("bkc,kcf->bf", window, kernel) + bias
    return y


def relu(x):
    return np.maximum(x, 0.0)


def test_encoder_matches_numpy():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 9, 2)).astype("float32")
    layer = Encoder1D([3, 4], kernel_size=3, use_skip_connection=True)
    layer(x)
    for w in layer.weights:
        w.assign(rng.standard_normal(tuple(w.shape)).astype("float32"))
    k0, b0, k1, b1, kd, bd = (np.asarray(w) for w in layer.get_weights())
    skip = relu(np_conv1d_same(relu(np_conv1d_same(x, k0, b0)), k1, b1))
    down = np_conv1d_same(skip, kd, bd, stride=2)  # linear, 9 -> 5
    got_down, got_skip = layer(x)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got_skip), skip, atol=1e-4)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got_down), down, atol=1e-4)


def np_transpose_k2s2(x, kernel, bias):
    """keras transposed convolution, kernel 2, stride 2, "same": (batch, n, c)
    with kernel (2, f, c) -> (batch, 2n, f); output 2i + j gets x[i] @ kernel[j]."""
    y = np.zeros((x.shape[0], 2 * x.shape[1], kernel.shape[1]))
    for j in range(2):
        y[:, j::2] = np.einsum("bnc,fc->bnf", x, kernel[j])
    return y + bias


@pytest.mark.parametrize("merge", ["concatenate", "add"])
def test_decoder_matches_numpy(merge):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 4, 3)).astype("float32")
    skip = rng.standard_normal((2, 8, 2)).astype("float32")
    layer = Decoder1D([2], kernel_size=3, merge_layer=merge)
    layer(x, skip=skip)
    for w in layer.weights:
        w.assign(rng.standard_normal(tuple(w.shape)).astype("float32"))
    weights = {
        w.path.split("/")[-2] + "/" + w.name: np.asarray(w) for w in layer.weights
    }
    up = np_transpose_k2s2(x, weights["upsampling/kernel"], weights["upsampling/bias"])
    conv = (weights["conv_0/kernel"], weights["conv_0/bias"])
    if merge == "concatenate":  # merge, then convolve
        expected = relu(np_conv1d_same(np.concatenate([up, skip], -1), *conv))
    else:  # convolve, then add the skip
        expected = relu(np_conv1d_same(up, *conv)) + skip
    got = keras.ops.convert_to_numpy(layer(x, skip=skip))
    np.testing.assert_allclose(got, expected, atol=1e-4)


# -- behaviour ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["transpose", "smooth", "fourier"])
@pytest.mark.parametrize("merge", ["concatenate", "add"])
def test_the_skip_carries_signal(kind, merge):
    """Zeroing the encoder's skip changes the decoder's output."""
    x = np.random.default_rng(2).standard_normal((2, 8, 2)).astype("float32")
    down, skip = Encoder1D([3], kernel_size=3, use_skip_connection=True)(x)
    decoder = DECODERS[kind][1]([3], kernel_size=3, merge_layer=merge)
    with_skip = keras.ops.convert_to_numpy(decoder(down, skip=skip))
    zeroed = keras.ops.convert_to_numpy(decoder(down, skip=keras.ops.zeros_like(skip)))
    assert with_skip.shape == zeroed.shape == (2, 8, 3)
    assert np.max(np.abs(with_skip - zeroed)) > 1e-3


def test_channels_first_equals_channels_last():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 7, 6, 2)).astype("float32")
    last = Encoder2D([2, 3], kernel_size=3)
    first = Encoder2D([2, 3], kernel_size=3, data_format="channels_first")
    y_last = last(x)
    first(np.moveaxis(x, -1, 1))
    first.set_weights(last.get_weights())
    y_first = first(np.moveaxis(x, -1, 1))
    np.testing.assert_allclose(
        np.moveaxis(keras.ops.convert_to_numpy(y_first), 1, -1),
        keras.ops.convert_to_numpy(y_last),
        atol=1e-5,
    )


def test_fourier_decoder_keeps_scaling_factor():
    layer = FourierDecoder2D([2], kernel_size=3, scaling_factor=(3, 2))
    revived = FourierDecoder2D.from_config(layer.get_config())
    assert revived.scaling_factor == (3, 2)
    y = revived(np.ones((1, 4, 5, 3), "float32"))
    assert tuple(y.shape) == (1, 12, 10, 2)


def test_smooth_decoder_1d_takes_interpolation():
    layer = SmoothDecoder1D([2], kernel_size=3, interpolation="nearest")
    assert tuple(layer(np.ones((1, 4, 3), "float32")).shape) == (1, 8, 2)
    assert SmoothDecoder1D.from_config(layer.get_config()).interpolation == "nearest"


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_every_rank_takes_padding(rank):
    shape = ENCODER_INPUTS[rank]
    y = ENCODERS[rank]([2], kernel_size=3, padding="valid")(np.ones(shape, "float32"))
    assert tuple(y.shape) == (shape[0], *[(n - 2 + 1) // 2 for n in shape[1:-1]], 2)


# -- signatures and bad input -------------------------------------------------------

RANK_CLASSES = [
    (base, cls, rank)
    for base, classes in [
        (Encoder, ENCODERS),
        (Decoder, DECODERS["transpose"]),
        (SmoothDecoder, DECODERS["smooth"]),
        (FourierDecoder, DECODERS["fourier"]),
    ]
    for rank, cls in classes.items()
]


@pytest.mark.parametrize("base,cls,rank", RANK_CLASSES)
def test_rank_subclass_signature_is_the_base_one_without_rank(base, cls, rank):
    assert_rank_signature(base, cls, rank)
    assert cls(filters=2).rank == rank


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: Encoder1D(filters=[]), "Encoder1D: `filters`"),
        (
            lambda: Encoder2D(filters=[2, 3], kernel_size=[3]),
            "Encoder2D: `kernel_size`",
        ),
        (lambda: Encoder2D(2, padding="causal"), "Encoder2D: `padding`"),
        (lambda: Decoder1D(2, merge_layer="concat"), "Decoder1D: `merge_layer`"),
        (lambda: Decoder3D(2, groups=[1, 1]), "Decoder3D: `groups`"),
        (
            lambda: SmoothDecoder1D(2, interpolation="bilinear"),
            "SmoothDecoder1D: `interpolation`",
        ),
        (
            lambda: SmoothDecoder2D(2, interpolation="cubic"),
            "SmoothDecoder2D: `interpolation`",
        ),
        (lambda: FourierDecoder1D(2, scaling_factor=0), "FourierDecoder1D: `scaling"),
        (lambda: Encoder(4, 2), "Encoder: `rank`"),
    ],
)
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_rank_mismatch_at_build():
    with pytest.raises(ValueError, match="Encoder2D: `input_shape`.*4 dims"):
        Encoder2D(2)(np.ones((2, 8, 3), "float32"))
    with pytest.raises(ValueError, match="Decoder1D: `skip_shape`"):
        Decoder1D(2)(np.ones((2, 4, 3), "float32"), skip=np.ones((2, 8, 8, 3)))
