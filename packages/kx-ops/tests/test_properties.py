"""Hypothesis comparisons with numpy.fft, round trips, compiled vs eager."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kx import ops as kops
from kx.ops.testing import backend_grad, compiled_function

BACKEND = keras.config.backend()
SETTINGS = settings(max_examples=10, deadline=None, derandomize=True)


def to_complex(pair):
    re, im = (keras.ops.convert_to_numpy(p) for p in pair)
    return re + 1j * im


@st.composite
def fft_problems(draw):
    """A shape (rank 1-4, odd and even lengths), 1-3 axes, maybe ``s``, a norm."""
    rank = draw(st.integers(1, 4))
    shape = tuple(draw(st.lists(st.integers(1, 7), min_size=rank, max_size=rank)))
    count = draw(st.integers(1, min(rank, 3)))
    axes = draw(st.permutations(range(rank)))[:count]
    axes = tuple(a - rank if draw(st.booleans()) else a for a in axes)
    s = draw(st.none() | st.lists(st.integers(1, 8), min_size=count, max_size=count))
    norm = draw(st.sampled_from(["backward", "ortho", "forward"]))
    seed = draw(st.integers(0, 2**16))
    return shape, axes, (None if s is None else tuple(s)), norm, seed


@SETTINGS
@given(fft_problems())
def test_rfftn_and_irfftn_match_numpy(problem):
    shape, axes, s, norm, seed = problem
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    z = np.fft.rfftn(x, s=s, axes=axes, norm=norm)
    np.testing.assert_allclose(
        to_complex(kops.rfftn(x, s=s, axes=axes, norm=norm)), z, atol=1e-9
    )
    w = z + 1j * rng.normal(size=z.shape)  # not Hermitian: numpy's definition rules
    s_out = s if s is not None or w.shape[axes[-1]] > 1 else (1,) * len(axes)
    got = kops.irfftn((w.real, w.imag), s=s_out, axes=axes, norm=norm)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(got),
        np.fft.irfftn(w, s=s_out, axes=axes, norm=norm),
        atol=1e-9,
    )


@SETTINGS
@given(fft_problems())
def test_fftn_and_ifftn_match_numpy(problem):
    shape, axes, s, norm, seed = problem
    rng = np.random.default_rng(seed)
    z = rng.normal(size=shape) + 1j * rng.normal(size=shape)
    for ours, theirs in ((kops.fftn, np.fft.fftn), (kops.ifftn, np.fft.ifftn)):
        np.testing.assert_allclose(
            to_complex(ours((z.real, z.imag), s=s, axes=axes, norm=norm)),
            theirs(z, s=s, axes=axes, norm=norm),
            atol=1e-9,
        )


@SETTINGS
@given(fft_problems())
def test_round_trips(problem):
    shape, axes, _, norm, seed = problem
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    lengths = tuple(shape[a] for a in axes)
    back = kops.irfftn(
        kops.rfftn(x, axes=axes, norm=norm), s=lengths, axes=axes, norm=norm
    )
    np.testing.assert_allclose(keras.ops.convert_to_numpy(back), x, atol=1e-9)
    z = (x, rng.normal(size=shape))
    back = kops.ifftn(kops.fftn(z, axes=axes, norm=norm), axes=axes, norm=norm)
    np.testing.assert_allclose(to_complex(back), z[0] + 1j * z[1], atol=1e-9)


def _chain(x, w_re, w_im):
    """The spectral convolution of an FNO layer, channels last."""
    z = kops.truncate_modes(kops.rfftn(x, axes=(1, 2)), 2, axes=(1, 2))
    z = kops.complex_einsum("bxyi,ioxy->bxyo", z, (w_re, w_im))
    shape = keras.ops.shape(x)
    z = kops.pad_modes(z, (shape[1], shape[2] // 2 + 1), 2, axes=(1, 2))
    return kops.irfftn(z, s=(shape[1], shape[2]), axes=(1, 2))


def _chain_inputs(h=8, w=7):
    rng = np.random.default_rng(0)
    return [
        keras.ops.convert_to_tensor(a.astype("float32"))
        for a in (
            rng.normal(size=(2, h, w, 3)),
            rng.normal(size=(3, 4, 4, 2)),
            rng.normal(size=(3, 4, 4, 2)),
        )
    ]


def _chain_numpy(x, w_re, w_im):
    x, w_re, w_im = (
        keras.ops.convert_to_numpy(a).astype("float64") for a in (x, w_re, w_im)
    )
    z = np.fft.rfftn(x, axes=(1, 2))
    kept = np.concatenate([z[:, :2], z[:, -2:]], axis=1)[:, :, :2]
    mixed = np.einsum("bxyi,ioxy->bxyo", kept, w_re + 1j * w_im)
    full = np.zeros(z.shape[:3] + (mixed.shape[-1],), complex)
    full[:, :2, :2] = mixed[:, :2]
    full[:, -2:, :2] = mixed[:, 2:]
    return np.fft.irfftn(full, s=x.shape[1:3], axes=(1, 2))


def _compile(function, dynamic=False):
    # unknown batch and spatial sizes while tracing (graph mode on tensorflow);
    # on torch, aot_eager: dynamo + AOT autograd tracing without inductor's slow
    # C++ builds
    shapes = [(None, None, None, 3), (3, 4, 4, 2), (3, 4, 4, 2)] if dynamic else None
    return compiled_function(function, input_shapes=shapes, torch_compile=True)


@pytest.mark.parametrize("dynamic", [False, True])
def test_fno_chain_compiled_matches_eager_and_numpy(dynamic):
    compiled = _compile(_chain, dynamic)
    for h, w in ((8, 7), (10, 6)) if dynamic else ((8, 7),):
        inputs = _chain_inputs(h, w)
        expected = _chain_numpy(*inputs)
        eager = keras.ops.convert_to_numpy(_chain(*inputs))
        np.testing.assert_allclose(eager, expected, atol=1e-4)
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(compiled(*inputs)), eager, atol=1e-5
        )


def _gradients(function, inputs, compiled=False):
    """Gradients of sum(function(...)**2), by the backend's autodiff."""
    return backend_grad(
        lambda *a: keras.ops.sum(function(*a) ** 2),
        *inputs,
        compiled=compiled,
        torch_compile=True,
    )


def test_fno_chain_gradients_compiled_match_eager():
    inputs = _chain_inputs()
    eager = _gradients(_chain, inputs)
    compiled = _gradients(_chain, inputs, compiled=True)
    for e, c in zip(eager, compiled):
        e = keras.ops.convert_to_numpy(e)
        assert np.abs(e).max() > 0
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(c), e, rtol=1e-4, atol=1e-4
        )
