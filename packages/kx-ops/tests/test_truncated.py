"""truncated_rfftn and padded_irfftn against numpy.fft and numpy indexing."""

import keras
import numpy as np
import pytest

from kx import ops as kops
from kx.ops import truncated
from kx.ops.testing import compiled_function

CASES = [
    # shape, axes, modes
    ((3, 16, 5), (1,), (4,)),
    ((2, 12, 10, 3), (1, 2), (3, 4)),
    ((2, 8, 9, 7, 2), (1, 2, 3), (2, 3, 3)),
    ((4, 9, 6), (0, 2), (2, 3)),  # a non-trailing batch axis between
    ((5, 17), (1,), (9,)),  # odd length, every bin kept
]


def kept_indices(n, m, last):
    return list(range(m)) if last else list(range(m)) + list(range(n - m, n))


def truncate_np(z, modes, axes):
    for i, axis in enumerate(axes):
        last = i == len(axes) - 1
        z = np.take(z, kept_indices(z.shape[axis], modes[i], last), axis)
    return z


def pad_np(z, s, modes, axes):
    """Scatter ``z`` into the zero rfftn spectrum of a signal of lengths ``s``."""
    shape = list(z.shape)
    for i, axis in enumerate(axes):
        shape[axis] = s[i] // 2 + 1 if i == len(axes) - 1 else s[i]
    out = np.zeros(shape, complex)
    index = [np.arange(n) for n in z.shape]
    for i, axis in enumerate(axes):
        index[axis] = np.array(kept_indices(s[i], modes[i], i == len(axes) - 1))
    out[np.ix_(*index)] = z
    return out


def to_complex(pair):
    re, im = (keras.ops.convert_to_numpy(p) for p in pair)
    return re + 1j * im


@pytest.mark.parametrize("method", ["dft", "fft", "auto"])
@pytest.mark.parametrize("norm", ["backward", "ortho", "forward"])
@pytest.mark.parametrize("shape,axes,modes", CASES)
def test_truncated_rfftn_matches_numpy(shape, axes, modes, norm, method):
    x = np.random.default_rng(0).normal(size=shape)
    got = to_complex(kops.truncated_rfftn(x, modes, axes, norm=norm, method=method))
    expected = truncate_np(np.fft.rfftn(x, axes=axes, norm=norm), modes, axes)
    np.testing.assert_allclose(got, expected, atol=1e-10 * np.abs(expected).max())


def fits(shape, axes, modes, grow):
    return all(
        (2 * m <= shape[a] + grow)
        if i < len(axes) - 1
        else (m <= (shape[a] + grow) // 2 + 1)
        for i, (a, m) in enumerate(zip(axes, modes))
    )


PAD_CASES = [
    (*case, grow) for case in CASES for grow in (0, 3, -1) if fits(*case, grow)
]


@pytest.mark.parametrize("method", ["dft", "fft", "auto"])
@pytest.mark.parametrize("norm", ["backward", "ortho", "forward"])
@pytest.mark.parametrize("shape,axes,modes,grow", PAD_CASES)
def test_padded_irfftn_matches_numpy(shape, axes, modes, grow, norm, method):
    rng = np.random.default_rng(1)
    kept = truncate_np(np.fft.rfftn(rng.normal(size=shape), axes=axes), modes, axes)
    s = [shape[a] + grow for a in axes]
    got = kops.padded_irfftn(
        (kept.real, kept.imag), s, modes, axes, norm=norm, method=method
    )
    expected = np.fft.irfftn(pad_np(kept, s, modes, axes), s=s, axes=axes, norm=norm)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(got), expected, atol=1e-10 * np.abs(expected).max()
    )


def test_round_trip_of_a_band_limited_signal_at_another_resolution():
    """Modes of a 2-D signal give the same function sampled on a 2x finer grid."""
    rng = np.random.default_rng(2)
    spectrum = np.zeros((2, 12, 7, 3), complex)
    spectrum[:, :3, :3] = rng.normal(size=(2, 3, 3, 3))
    spectrum[:, -2:, :3] = rng.normal(size=(2, 2, 3, 3))
    # (not row -3: irfftn keeps the Hermitian part of the DC column, which would
    # mirror it onto row 3, outside the kept set)
    x = np.fft.irfftn(spectrum, s=(12, 12), axes=(1, 2), norm="forward")
    z = kops.truncated_rfftn(x, 3, (1, 2), norm="forward", method="dft")
    fine = kops.padded_irfftn(z, (24, 24), 3, (1, 2), norm="forward", method="dft")
    fine = keras.ops.convert_to_numpy(fine)
    np.testing.assert_allclose(fine[:, ::2, ::2], x, atol=1e-10)


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_dtypes_follow_the_input(dtype):
    x = keras.ops.cast(np.random.default_rng(3).normal(size=(2, 32, 4)), dtype)
    re, im = kops.truncated_rfftn(x, 5, (1,), method="dft")
    assert keras.backend.standardize_dtype(re.dtype) == dtype
    y = kops.padded_irfftn((re, im), (32,), 5, (1,), method="dft")
    assert keras.backend.standardize_dtype(y.dtype) == dtype


def test_dft_is_cheaper_only_for_few_modes_of_static_lengths():
    assert kops.dft_is_cheaper((1024,), (16,))  # the FNO1D benchmark: 2.56x
    assert kops.dft_is_cheaper((64, 64), (12, 12))  # the FNO2D benchmark: 2.76x
    assert not kops.dft_is_cheaper((128,), (60,))  # 13.7x the FFT's FLOPs
    assert not kops.dft_is_cheaper((64, 64), (32, 32))  # 12.6x
    assert not kops.dft_is_cheaper((None, 64), (4, 4))
    speedup = truncated.DFT_SPEEDUP[keras.config.backend()]
    for lengths, modes in [((128,), (32,)), ((256,), (40,)), ((32, 32), (12, 12))]:
        ratio = kops.dft_flops(lengths, modes) / kops.fft_flops(lengths)
        assert kops.dft_is_cheaper(lengths, modes) == (ratio <= speedup)


def test_the_flop_counts_written_out():
    # 1-D, n = 1024, m = 16: a (2m, n) real matrix forward, (n, 2m) back, 2 FLOPs
    # per multiply-add
    assert kops.dft_flops((1024,), (16,)) == 2 * (2 * 32 * 1024)
    # 2-D (64, 32), modes (4, 3): forward 4*3*2048 on the last axis, then
    # 16*4*(64*3) on the first; the inverse mirrors it
    forward = 4 * 3 * 64 * 32 + 16 * 4 * (64 * 3)
    inverse = 8 * 64 * (8 * 3) + 4 * 32 * (64 * 3)
    assert forward == inverse == 36864
    assert kops.dft_flops((64, 32), (4, 3)) == forward + inverse
    # radix-2: 2.5 n log2 n real (last axis), 5 n log2 n complex on 64 x 17 bins
    assert kops.fft_flops((64, 32)) == 2 * (2.5 * 2048 * 5 + 5 * 64 * 17 * 6)
    assert kops.fft_flops((1024,)) == 2 * 2.5 * 1024 * 10


def test_the_measured_factors_cover_every_backend():
    assert set(truncated.DFT_SPEEDUP) == {"jax", "tensorflow", "torch"}
    assert all(1.0 < f < 100.0 for f in truncated.DFT_SPEEDUP.values())


def test_symbolic_shapes_and_functional_model():
    x = keras.Input((12, 10, 2))
    z = kops.truncated_rfftn(x, 3, axes=(1, 2))
    assert tuple(z[0].shape) == (None, 6, 3, 2)
    y = kops.padded_irfftn(z, (12, 10), 3, axes=(1, 2))
    assert tuple(y.shape) == (None, 12, 10, 2)
    model = keras.Model(x, y)
    data = np.random.default_rng(4).normal(size=(2, 12, 10, 2)).astype("float32")
    kept = truncate_np(np.fft.rfftn(data, axes=(1, 2)), (3, 3), (1, 2))
    expected = np.fft.irfftn(
        pad_np(kept, (12, 10), (3, 3), (1, 2)), s=(12, 10), axes=(1, 2)
    )
    np.testing.assert_allclose(model.predict(data, verbose=0), expected, atol=1e-4)
    dynamic = keras.Input((None, None, 2))
    z = kops.truncated_rfftn(dynamic, 3, axes=(1, 2))  # auto: the FFT path
    assert tuple(z[0].shape) == (None, 6, 3, 2)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda x: kops.truncated_rfftn(x, 4, (1,), method="fast"),
            r"^truncated_rfftn: `method` must be one of.*got method='fast'",
        ),
        (
            lambda x: kops.truncated_rfftn(x, 6, (1,)),
            r"^truncated_rfftn: `modes` = \(6,\) does not fit",
        ),
        (
            lambda x: kops.truncated_rfftn(x, (2, 2), (1,)),
            r"^truncated_rfftn: `modes` must be",
        ),
        (
            lambda x: kops.truncated_rfftn(x, 2, (3,)),
            r"^truncated_rfftn: `axes` must hold axes from -3 to 2.*got axis 3",
        ),
        (
            lambda x: kops.padded_irfftn(
                kops.truncated_rfftn(x, 2, (1,)), None, 2, (1,)
            ),
            r"^padded_irfftn: `s` must be the output lengths along `axes`; got s=None",
        ),
        (
            lambda x: kops.padded_irfftn(
                kops.truncated_rfftn(x, 2, (1,)), (8,), 3, (1,)
            ),
            r"^padded_irfftn: `z` must have 3 entries along axis 1",
        ),
        (
            lambda x: kops.padded_irfftn(
                kops.truncated_rfftn(x, 4, (1,)), (4,), 4, (1,)
            ),
            r"^padded_irfftn: `modes` = \(4,\) does not fit `s`",
        ),
    ],
)
def test_bad_input_is_a_value_error(call, message):
    x = np.zeros((2, 8, 3), "float32")
    with pytest.raises(ValueError, match=message):
        call(x)


def test_dft_method_needs_static_lengths():
    with pytest.raises(
        ValueError, match=r'^truncated_rfftn: `method="dft"` needs static'
    ):
        kops.truncated_rfftn(keras.Input((None, 3)), 2, (1,), method="dft")


@pytest.mark.skipif(
    keras.config.backend() != "tensorflow", reason="traced unknown batch: tensorflow"
)
def test_dft_under_a_traced_unknown_batch():
    def chain(x):
        z = kops.truncated_rfftn(x, 3, axes=(1, 2), method="dft")
        return kops.padded_irfftn(z, (12, 10), 3, axes=(1, 2), method="dft")

    chain = compiled_function(
        chain, input_shapes=[(None, 12, 10, 2)], input_dtype="float64"
    )

    data = np.random.default_rng(5).normal(size=(3, 12, 10, 2))
    kept = truncate_np(np.fft.rfftn(data, axes=(1, 2)), (3, 3), (1, 2))
    expected = np.fft.irfftn(
        pad_np(kept, (12, 10), (3, 3), (1, 2)), s=(12, 10), axes=(1, 2)
    )
    got = keras.ops.convert_to_numpy(chain(keras.ops.convert_to_tensor(data)))
    np.testing.assert_allclose(got, expected, atol=1e-10)
