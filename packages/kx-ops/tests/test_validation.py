"""Every bad input raises a ValueError naming the argument, the value and the rule."""

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
            r"`axes` holds axis 3, out of range.*-3 to 2",
        ),
        (lambda: kops.fftn(Z, axes=(-4,)), r"`axes` holds axis -4.*rank 3"),
        (lambda: kops.rfft(X, axis=5), r"`axis` holds axis 5"),
        (lambda: kops.rfftn(X, axes=(1, -2)), r"`axes` must not repeat.*\(1, -2\)"),
        (lambda: kops.irfftn(Z, axes=(0, 0)), r"`axes` must not repeat"),
        (lambda: kops.rfftn(X, axes=1.5), r"`axes` must be None, an int"),
        (lambda: kops.rfftn(np.zeros((2, 2, 2, 2))), r"`axes` must name 1 to 3 axes"),
        (
            lambda: kops.rfftn(X, s=(4, 4), axes=(1,)),
            r"`s` must have one length.*s=\(4, 4\)",
        ),
        (lambda: kops.ifftn(Z, s=(0,), axes=(1,)), r"`s` must hold positive integers"),
        (lambda: kops.rfftn(X, s="4"), r"`s` must be None or a sequence"),
        (lambda: kops.rfftn(X, s=(2, 2, 2, 2)), r"`axes` defaults to the last 4 axes"),
        (
            lambda: kops.rfftn(np.arange(8)),
            r"`x` must have a floating dtype.*got dtype int",
        ),
        (lambda: kops.rfftn(np.zeros(4, complex)), r"`x` must have a floating dtype"),
        (lambda: kops.rfftn(Z), r"`x` must be a tensor or array; got a tuple"),
        (lambda: kops.fftn((X, np.zeros((2, 6, 4), "int32"))), r"`z\[1\] \(imag"),
        (lambda: kops.rfftn(X, norm="bogus"), r"`norm` must be one of.*'bogus'"),
        (lambda: kops.ifft2(Z, norm=1), r"`norm` must be one of"),
        (
            lambda: kops.fftn((X, np.zeros((2, 6, 5)))),
            r"same shape.*\(2, 6, 4\).*\(2, 6, 5\)",
        ),
        (
            lambda: kops.fftn((X, X.astype("float32"))),
            r"same dtype; got float64 and float32",
        ),
        (lambda: kops.fftn(X), r"`z` must be a \(real, imag\) pair.*ndarray"),
        (
            lambda: kops.irfftn((X, X, X)),
            r"`z` must be a \(real, imag\) pair.*length 3",
        ),
        (lambda: kops.irfft((np.zeros(1), np.zeros(1))), r"1 bin along the last axis"),
        (lambda: kops.complex_multiply(Z, X), r"`b` must be a \(real, imag\) pair"),
        (lambda: kops.complex_einsum("ab->a", Z, Z), r"`subscripts`.*two operands"),
        (lambda: kops.complex_einsum("ab,bc->ac", Z, Z), r"operand `a` 2 axes.*rank 3"),
        (lambda: kops.conj(X), r"`z` must be a \(real, imag\) pair"),
        (lambda: kops.abs((X, X[0])), r"same shape"),
    ],
)
def test_fft_and_complex_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


S = (np.zeros((2, 8, 5, 3)),) * 2  # rfftn spectrum of (2, 8, 8, 3) over axes (1, 2)


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: kops.truncate_modes(S, 5, (1, 2)), r"`modes` = \(5, 5\) does not fit"),
        (lambda: kops.truncate_modes(S, (4, 6), (1, 2)), r"6 modes need 6.*has 5"),
        (lambda: kops.truncate_modes(S, (2, 2, 2), (1, 2)), r"`modes` must be.*2 pos"),
        (lambda: kops.truncate_modes(S, 0, (1, 2)), r"`modes` must be a positive int"),
        (lambda: kops.truncate_modes(S, 2, (1, 4)), r"`axes` holds axis 4"),
        (lambda: kops.truncate_modes(S, 2, (2, 2)), r"`axes` must not repeat"),
        (lambda: kops.pad_modes(S, (4, 5), (2, 5), (1, 2)), r"`z` must have 4 entries"),
        (
            lambda: kops.pad_modes(S, (6, 5), (4, 5), (1, 2)),
            r"`modes` = \(4, 5\).*2 \* m",
        ),
        (lambda: kops.pad_modes(S, (8, 4), (4, 5), (1, 2)), r"`modes`.*n // 2 \+ 1"),
        (lambda: kops.pad_modes(S, (8,), (4, 5), (1, 2)), r"`sizes` must hold one len"),
        (lambda: kops.pad_modes(S, (8, 0), (4, 5), (1, 2)), r"`sizes` must hold posit"),
    ],
)
def test_spectral_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_symbolic_inputs_are_validated_too():
    x = keras.Input((None, 8))
    with pytest.raises(ValueError, match="`axes` holds axis 3"):
        kops.rfftn(x, axes=(3,))
    with pytest.raises(ValueError, match="`modes`"):
        kops.truncate_modes(kops.rfftn(x, axes=(2,)), 6, axes=(2,))
    ints = keras.Input((4,), dtype="int32")
    with pytest.raises(ValueError, match="floating dtype"):
        kops.rfftn(ints)
