"""Every bad input raises a ValueError naming the function, the argument, the value
and the rule (``"fftn: `axes` must ...; got axes=..."``)."""

import keras
import numpy as np
import pytest

from kx import ops as kops

X = np.zeros((2, 6, 4))
Z = (X, X)


@pytest.mark.parametrize(
    "call,match",
    [
        (
            lambda: kops.rfftn(X, axes=(3,)),
            r"^rfftn: `axes` must hold axes from -3 to 2.*got axis 3, out of range",
        ),
        (
            lambda: kops.fftn(Z, axes=(-4,)),
            r"^fftn: `axes` must hold axes from -3 to 2 for a tensor of rank 3; "
            r"got axis -4",
        ),
        (
            lambda: kops.rfft(X, axis=5),
            r"^rfft: `axis` must hold axes from -3 to 2.*got axis 5",
        ),
        (
            lambda: kops.rfftn(X, axes=(1, -2)),
            r"^rfftn: `axes` must not repeat an axis; got axes=\(1, -2\) "
            r"\(axis 1 twice",
        ),
        (lambda: kops.irfftn(Z, axes=(0, 0)), r"^irfftn: `axes` must not repeat"),
        (
            lambda: kops.rfftn(X, axes=1.5),
            r"^rfftn: `axes` must be None, an int or a sequence of ints; got axes=1.5",
        ),
        (
            lambda: kops.rfftn(np.zeros((2, 2, 2, 2))),
            r"^rfftn: `axes` must be 1 to 3 axes.*got axes=\(0, 1, 2, 3\)",
        ),
        (
            lambda: kops.rfftn(X, s=(4, 4), axes=(1,)),
            r"^rfftn: `s` must be one length per transformed axis.*got s=\(4, 4\)",
        ),
        (
            lambda: kops.ifftn(Z, s=(0,), axes=(1,)),
            r"^ifftn: `s` must be positive integers; got s=\(0,\)",
        ),
        (
            lambda: kops.rfftn(X, s="4"),
            r"^rfftn: `s` must be None or a sequence of ints; got s='4'",
        ),
        (
            lambda: kops.rfftn(X, s=(2, 2, 2, 2)),
            r"^rfftn: `axes` must be given for an input of rank 3.*last 4 axes",
        ),
        (
            lambda: kops.rfftn(np.arange(8)),
            r"^rfftn: `x` must have a floating dtype.*got dtype int",
        ),
        (
            lambda: kops.rfftn(np.zeros(4, complex)),
            r"^rfftn: `x` must have a floating dtype",
        ),
        (lambda: kops.rfftn(Z), r"^rfftn: `x` must be a tensor or array; got a tuple"),
        (
            lambda: kops.fftn((X, np.zeros((2, 6, 4), "int32"))),
            r"^fftn: `z\[1\] \(imag",
        ),
        (
            lambda: kops.rfftn(X, norm="bogus"),
            r"^rfftn: `norm` must be one of.*or None; got norm='bogus'",
        ),
        (
            lambda: kops.ifft2(Z, norm=1),
            r"^ifft2: `norm` must be one of.*; got norm=1\.",
        ),
        (
            lambda: kops.fftn((X, np.zeros((2, 6, 5)))),
            r"^fftn: .*same shape.*\(2, 6, 4\).*\(2, 6, 5\)",
        ),
        (
            lambda: kops.fftn((X, X.astype("float32"))),
            r"^fftn: .*same dtype; got float64 and float32",
        ),
        (lambda: kops.fftn(X), r"^fftn: `z` must be a \(real, imag\) pair.*ndarray"),
        (
            lambda: kops.irfftn((X, X, X)),
            r"^irfftn: `z` must be a \(real, imag\) pair.*length 3",
        ),
        (
            lambda: kops.irfft((np.zeros(1), np.zeros(1))),
            r"^irfft: .*1 bin along the last axis",
        ),
        (
            lambda: kops.complex_multiply(Z, X),
            r"^complex_multiply: `b` must be a \(real, imag\) pair",
        ),
        (
            lambda: kops.complex_einsum("ab->a", Z, Z),
            r"^complex_einsum: `subscripts`.*two operands",
        ),
        (
            lambda: kops.complex_einsum("ab,bc->ac", Z, Z),
            r"^complex_einsum: .*operand `a` 2 axes.*rank 3",
        ),
        (lambda: kops.conj(X), r"^conj: `z` must be a \(real, imag\) pair"),
        (lambda: kops.abs((X, X[0])), r"^abs: .*same shape"),
    ],
)
def test_fft_and_complex_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


S = (np.zeros((2, 8, 5, 3)),) * 2  # rfftn spectrum of (2, 8, 8, 3) over axes (1, 2)


@pytest.mark.parametrize(
    "call,match",
    [
        (
            lambda: kops.truncate_modes(S, 5, (1, 2)),
            r"^truncate_modes: `modes` = \(5, 5\) does not fit",
        ),
        (
            lambda: kops.truncate_modes(S, (4, 6), (1, 2)),
            r"^truncate_modes: .*6 modes need 6.*has 5",
        ),
        (
            lambda: kops.truncate_modes(S, (2, 2, 2), (1, 2)),
            r"^truncate_modes: `modes` must be a positive int or 2 positive ints"
            r".*got modes=\(2, 2, 2\)",
        ),
        (
            lambda: kops.truncate_modes(S, 0, (1, 2)),
            r"^truncate_modes: `modes` must be a positive int.*got modes=\(0, 0\)",
        ),
        (
            lambda: kops.truncate_modes(S, 2, (1, 4)),
            r"^truncate_modes: `axes` must hold axes from -4 to 3.*got axis 4",
        ),
        (
            lambda: kops.truncate_modes(S, 2, (2, 2)),
            r"^truncate_modes: `axes` must not repeat",
        ),
        (
            lambda: kops.pad_modes(S, (4, 5), (2, 5), (1, 2)),
            r"^pad_modes: `z` must have 4 entries",
        ),
        (
            lambda: kops.pad_modes(S, (6, 5), (4, 5), (1, 2)),
            r"^pad_modes: `modes` = \(4, 5\).*2 \* m",
        ),
        (
            lambda: kops.pad_modes(S, (8, 4), (4, 5), (1, 2)),
            r"^pad_modes: `modes`.*n // 2 \+ 1",
        ),
        (
            lambda: kops.pad_modes(S, (8,), (4, 5), (1, 2)),
            r"^pad_modes: `sizes` must be one length per axis.*got sizes=\(8,\)",
        ),
        (
            lambda: kops.pad_modes(S, (8, 0), (4, 5), (1, 2)),
            r"^pad_modes: `sizes` must be positive lengths; got sizes=\(8, 0\)",
        ),
    ],
)
def test_spectral_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_symbolic_inputs_are_validated_too():
    x = keras.Input((None, 8))
    with pytest.raises(ValueError, match="^rfftn: `axes` must hold axes .* axis 3"):
        kops.rfftn(x, axes=(3,))
    with pytest.raises(ValueError, match="^truncate_modes: `modes`"):
        kops.truncate_modes(kops.rfftn(x, axes=(2,)), 6, axes=(2,))
    ints = keras.Input((4,), dtype="int32")
    with pytest.raises(ValueError, match="^rfftn: `x` must have a floating dtype"):
        kops.rfftn(ints)
