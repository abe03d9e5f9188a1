"""Gradients of every kx.ops function against central finite differences (float64).

The finite differences are taken of the numpy reference (numpy.fft and numpy complex
arithmetic, whose values the value tests match), so they are independent of the
backend; the gradients come from the backend's autodiff through kx.ops, eagerly and
compiled (jax.jit, tf.function(jit_compile=True)).
"""

import keras
import numpy as np
import pytest
from cfc_reference import cfc_np
from ltc_reference import ltc_np

from kx import ops as kops
from kx.ops.testing import backend_grad

BACKEND = keras.config.backend()
MODES = ["eager", "compiled"] if BACKEND in ("jax", "tensorflow") else ["eager"]


def _c(re, im):
    return re + 1j * im


def _flat(out):
    return list(out) if isinstance(out, tuple | list) else [out]


def _np_flat(out):
    if np.iscomplexobj(out):
        return [out.real, out.imag]
    return _flat(out)


def backend_gradients(function, inputs, weights, mode):
    """d/dinputs of sum(output * weight), by the backend's autodiff."""

    def loss(*xs):
        outs = _flat(function(*xs))
        return sum(keras.ops.sum(o * w) for o, w in zip(outs, weights))

    return backend_grad(loss, *inputs, compiled=mode == "compiled")


def finite_differences(reference, inputs, weights, eps=1e-6):
    def loss(*xs):
        return sum(np.sum(o * w) for o, w in zip(_np_flat(reference(*xs)), weights))

    grads = []
    for k, x in enumerate(inputs):
        g = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            plus = [a.copy() for a in inputs]
            minus = [a.copy() for a in inputs]
            plus[k][index] += eps
            minus[k][index] -= eps
            g[index] = (loss(*plus) - loss(*minus)) / (2 * eps)
        grads.append(g)
    return grads


def check(function, reference, shapes, mode, seed=0, atol=1e-6):
    rng = np.random.default_rng(seed)
    inputs = [rng.normal(size=shape) for shape in shapes]
    outs = _np_flat(reference(*inputs))
    weights = [rng.normal(size=np.shape(o)) for o in outs]
    expected = finite_differences(reference, inputs, weights)
    got = backend_gradients(
        function,
        [keras.ops.convert_to_tensor(x, "float64") for x in inputs],
        [keras.ops.convert_to_tensor(w, "float64") for w in weights],
        mode,
    )
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, atol=atol, rtol=atol)


RFFT_CASES = [  # input shape, s, axes, norm
    ((3, 6), None, (-1,), "backward"),
    ((3, 7), None, (1,), "ortho"),
    ((4, 5), (6,), (0,), "forward"),
    ((4, 6), None, None, "backward"),
    ((3, 5), (4, 3), (0, 1), "ortho"),
    ((2, 4, 5), (3, 6), (2, 0), "backward"),
    ((2, 3, 4, 2), None, (0, 1, 2), "forward"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape,s,axes,norm", RFFT_CASES)
def test_rfftn_gradient(shape, s, axes, norm, mode):
    check(
        lambda x: kops.rfftn(x, s=s, axes=axes, norm=norm),
        lambda x: np.fft.rfftn(x, s=s, axes=axes, norm=norm),
        [shape],
        mode,
    )


IRFFT_CASES = [  # input (half spectrum) shape, s, axes, norm
    ((3, 4), None, (-1,), "backward"),  # even output, Nyquist bin
    ((3, 4), (7,), (-1,), "ortho"),  # odd output
    ((3, 4), (4,), (-1,), "forward"),  # crop the bins
    ((3, 4), (11,), (-1,), "backward"),  # zero-pad the bins
    ((4, 3), None, (0, 1), "backward"),
    ((5, 3), (4, 5), (0, 1), "ortho"),
    ((3, 2, 4), (3, 5), (2, 0), "forward"),
    ((3, 2, 3, 2), (2, 3, 4), (0, 1, 2), "backward"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape,s,axes,norm", IRFFT_CASES)
def test_irfftn_gradient(shape, s, axes, norm, mode):
    """Every bin, the imaginary parts of the DC and Nyquist bins included."""
    check(
        lambda re, im: kops.irfftn((re, im), s=s, axes=axes, norm=norm),
        lambda re, im: np.fft.irfftn(_c(re, im), s=s, axes=axes, norm=norm),
        [shape, shape],
        mode,
    )


FFT_CASES = [
    ((3, 5), None, (-1,), "backward"),
    ((4, 3), (6,), (0,), "ortho"),
    ((2, 3, 4), (2, 5), (0, 2), "forward"),
    ((2, 3, 2), None, None, "backward"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("inverse", [False, True])
@pytest.mark.parametrize("shape,s,axes,norm", FFT_CASES)
def test_fftn_ifftn_gradient(shape, s, axes, norm, inverse, mode):
    ours, theirs = (kops.ifftn, np.fft.ifftn) if inverse else (kops.fftn, np.fft.fftn)
    check(
        lambda re, im: ours((re, im), s=s, axes=axes, norm=norm),
        lambda re, im: theirs(_c(re, im), s=s, axes=axes, norm=norm),
        [shape, shape],
        mode,
    )


def test_conveniences_gradient():
    check(
        lambda x: kops.rfft(x, n=5, axis=0),
        lambda x: np.fft.rfft(x, n=5, axis=0),
        [(4, 3)],
        "eager",
    )
    check(
        lambda re, im: kops.irfft2((re, im), s=(3, 5)),
        lambda re, im: np.fft.irfft2(_c(re, im), s=(3, 5)),
        [(3, 3), (3, 3)],
        "eager",
    )


def _truncate_np(z, m, axes):
    for axis in axes[:-1]:
        z = np.concatenate(
            [np.take(z, range(m), axis), np.take(z, range(-m, 0), axis)], axis
        )
    return np.take(z, range(m), axes[-1])


@pytest.mark.parametrize("mode", MODES)
def test_spectral_helpers_gradient(mode):
    check(
        lambda re, im: kops.truncate_modes((re, im), 2, axes=(0, 2)),
        lambda re, im: _truncate_np(_c(re, im), 2, (0, 2)),
        [(5, 2, 4), (5, 2, 4)],
        mode,
    )

    def pad_np(re, im):
        out = np.zeros((7, 2, 5), complex)
        z = _c(re, im)
        out[:2, :, :2] = z[:2]
        out[-2:, :, :2] = z[2:]
        return out

    check(
        lambda re, im: kops.pad_modes((re, im), (7, 5), 2, axes=(0, 2)),
        pad_np,
        [(4, 2, 2), (4, 2, 2)],
        mode,
    )


@pytest.mark.parametrize("mode", MODES)
def test_complex_math_gradient(mode):
    check(
        lambda ar, ai, br, bi: kops.complex_multiply((ar, ai), (br, bi)),
        lambda ar, ai, br, bi: _c(ar, ai) * _c(br, bi),
        [(2, 3), (2, 3), (3,), (3,)],
        mode,
    )
    check(
        lambda ar, ai, br, bi: kops.complex_einsum("bxi,iox->bxo", (ar, ai), (br, bi)),
        lambda ar, ai, br, bi: np.einsum("bxi,iox->bxo", _c(ar, ai), _c(br, bi)),
        [(2, 3, 2), (2, 3, 2), (2, 2, 3), (2, 2, 3)],
        mode,
    )
    check(  # kx.layers' spectral mix (the torch bmm path)
        lambda ar, ai, br, bi: kops.complex_einsum("bxi,xio->bxo", (ar, ai), (br, bi)),
        lambda ar, ai, br, bi: np.einsum("bxi,xio->bxo", _c(ar, ai), _c(br, bi)),
        [(2, 3, 2), (2, 3, 2), (3, 2, 4), (3, 2, 4)],
        mode,
    )
    check(
        lambda re, im: kops.conj((re, im)),
        lambda re, im: np.conj(_c(re, im)),
        [(3,), (3,)],
        mode,
    )
    check(
        lambda re, im: kops.abs((re, im)),
        lambda re, im: np.abs(_c(re, im)),
        [(4,), (4,)],
        mode,
    )


def test_abs_gradient_at_zero_is_zero():
    zero = keras.ops.zeros((3,), "float64")
    got = backend_gradients(
        lambda re, im: kops.abs((re, im)),
        [zero, zero],
        [keras.ops.ones((3,), "float64")],
        "eager",
    )
    for g in got:
        np.testing.assert_array_equal(g, 0.0)


TRUNCATED_CASES = [  # signal shape, axes, modes, norm
    ((2, 8, 2), (1,), (3,), "backward"),
    ((7, 2), (0,), (4,), "ortho"),  # odd length, every bin kept
    ((5, 2, 6), (0, 2), (2, 3), "forward"),
    ((4, 3, 4, 2), (0, 1, 2), (1, 1, 2), "backward"),
]


@pytest.mark.parametrize("method", ["dft", "fft"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape,axes,modes,norm", TRUNCATED_CASES)
def test_truncated_transforms_gradient(shape, axes, modes, norm, mode, method):
    def kept(n, m, last):
        return list(range(m)) if last else list(range(m)) + list(range(n - m, n))

    def truncate_np(z):
        for i, axis in enumerate(axes):
            z = np.take(z, kept(shape[axis], modes[i], i == len(axes) - 1), axis)
        return z

    check(
        lambda x: kops.truncated_rfftn(x, modes, axes, norm=norm, method=method),
        lambda x: truncate_np(np.fft.rfftn(x, axes=axes, norm=norm)),
        [shape],
        mode,
    )
    s = [shape[a] + 1 for a in axes]  # to a grid one longer on every axis
    small = list(shape)
    for i, axis in enumerate(axes):
        small[axis] = modes[i] if i == len(axes) - 1 else 2 * modes[i]

    def pad_irfftn_np(re, im):
        full = list(shape)
        for i, axis in enumerate(axes):
            full[axis] = s[i] // 2 + 1 if i == len(axes) - 1 else s[i]
        out = np.zeros(full, complex)
        index = [np.arange(n) for n in small]
        for i, axis in enumerate(axes):
            index[axis] = np.array(kept(s[i], modes[i], i == len(axes) - 1))
        out[np.ix_(*index)] = _c(re, im)
        return np.fft.irfftn(out, s=s, axes=axes, norm=norm)

    check(
        lambda re, im: kops.padded_irfftn((re, im), s, modes, axes, norm, method),
        pad_irfftn_np,
        [small, small],
        mode,
    )


LTC_SOURCES, LTC_TARGETS = [0, 1, 2, 2, 3, 0, 3], [1, 2, 0, 3, 3, 3, 1]


def _ltc_positive(np_or_ops, den, cm, w):
    """Positive denominators, capacitances and conductances from free inputs."""
    return 2.0 + den * den, 0.5 + cm * cm, 0.1 + w * w


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cm_shape", [(4,), (3, 4)])
def test_ltc_unfolds_gradient(cm_shape, mode):
    def function(v, num, den, cm, sigma, sigma_mu, w, w_erev):
        den, cm, w = _ltc_positive(keras.ops, den, cm, w)
        return kops.ltc_unfolds(
            v, num, den, cm, sigma, sigma_mu, w, w_erev, LTC_SOURCES, LTC_TARGETS, 3
        )

    def reference(v, num, den, cm, sigma, sigma_mu, w, w_erev):
        den, cm, w = _ltc_positive(np, den, cm, w)
        return ltc_np(
            v, num, den, cm, sigma, sigma_mu, w, w_erev, LTC_SOURCES, LTC_TARGETS, 3
        )

    shapes = [(3, 4), (3, 4), (3, 4), cm_shape] + [(7,)] * 4
    check(function, reference, shapes, mode)


CFC_CASES = [  # mode, elapsed, backbone layers (0: none), activation, backwards, drop
    ("default", False, 1, "tanh", False, False),
    ("default", True, 2, "sigmoid", True, True),
    ("default", False, 2, "relu", False, True),
    ("no_gate", False, 0, "tanh", True, False),
    ("no_gate", True, 1, "relu", False, False),
    ("pure", False, 1, "linear", False, False),
    ("pure", True, 0, "tanh", True, False),
]


@pytest.mark.parametrize("mode", MODES + (["graph"] if BACKEND == "tensorflow" else []))
@pytest.mark.parametrize("case", CFC_CASES)
def test_cfc_recurrence_gradient(case, mode):
    cfc_mode, timed, layers, activation, backwards, drop = case
    batch, steps, units, n, width = 2, 3, 2, 3, 2
    heads = (1 if cfc_mode == "pure" else 4 if timed else 3) * units
    names = ["inputs", "initial_state", "recurrent_kernel"]
    shapes = [(batch, steps, n if layers else heads), (batch, units)]
    shapes.append((units, shapes[0][-1]))
    if layers:
        if layers == 2:
            names += ["backbone_kernel", "backbone_bias"]
            shapes += [(n, width), (width,)]
        names += ["kernel", "bias"]
        shapes += [(width if layers == 2 else n, heads), (heads,)]
    if timed:
        names.append("elapsed")
        shapes.append((batch, steps, 1))
    if cfc_mode == "pure":
        names += ["w_tau", "big_a"]
        shapes += [(units,), (units,)]
    mask = None
    if drop:
        last = width if layers == 2 else n
        mask = np.random.default_rng(1).uniform(0.5, 1.5, (batch, last))

    def arguments(xs, lib):
        named = dict(zip(names, xs))
        if "backbone_kernel" in named:
            named["backbone"] = [
                (named.pop("backbone_kernel"), named.pop("backbone_bias"))
            ]
        if mask is not None:
            named["dropout_mask"] = (
                mask if lib is np else keras.ops.convert_to_tensor(mask, "float64")
            )
        return named

    def function(*xs):
        return kops.cfc_recurrence(
            **arguments(xs, keras.ops),
            mode=cfc_mode,
            activation=activation,
            go_backwards=backwards,
        )

    def reference(*xs):
        named = arguments(xs, np)
        return cfc_np(
            named.pop("inputs"),
            named.pop("initial_state"),
            named.pop("recurrent_kernel"),
            **named,
            mode=cfc_mode,
            activation=activation,
            go_backwards=backwards,
        )

    # float64 throughout: central differences at eps 1e-6 agree to about 1e-10, so
    # 1e-8 catches a step that drops to float32 (keras.ops.tanh does on jax)
    check(function, reference, shapes, mode, atol=1e-8)
