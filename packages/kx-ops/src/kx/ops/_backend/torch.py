"""kx.ops's hooks on torch: ``torch.fft`` with a one-transform backward for
rfftn, complex tensors kept whole where no gradient is recorded (``as_complex``,
``split``), complex einsum as contiguous real bmm, the LTC solver's forward and
backward written out on index operations, ``autograd.Function`` for
``with_gradient``, a Python-loop scan and torch's fused layer norm.

The hooks are described in :mod:`kx.ops._backend`; ``gelu`` is
:mod:`fallback`'s (Keras's gelu is torch's own kernel, faster than the written-out
formula); names with a leading underscore are this module's helpers, not hooks.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch

from kx.ops._backend.fallback import gelu  # noqa: F401
from kx.ops._backend.python_scan import python_scan
from kx.ops._operation import memoized


def split(z):
    # unbind of the (..., 2) view: its backward is one stack, where backward
    # through z.real and z.imag builds and adds two complex tensors
    return torch.view_as_real(z).unbind(-1)


# rfftn's adjoint in the norm that undoes the forward's scaling
_DUAL = {"backward": "forward", "ortho": "ortho", "forward": "backward"}


class _RealFFT(torch.autograd.Function):
    """rfftn with its adjoint as backward: one c2r transform.

    torch differentiates rfftn by building the full spectrum and running a
    complex-to-complex transform, several times slower than this.
    """

    @staticmethod
    def forward(ctx, x, axes, norm):
        # (ctx-style forward: a separate setup_context makes every apply
        # bind its arguments through inspect.signature, a slow Python step)
        ctx.axes, ctx.norm = axes, norm
        ctx.lengths = [x.shape[a] for a in axes]
        return split(torch.fft.rfftn(x, dim=axes, norm=norm))

    @staticmethod
    def backward(ctx, g_re, g_im):
        axes, n_last = ctx.axes, ctx.lengths[-1]
        if g_re is None:
            g_re = torch.zeros_like(g_im)
        if g_im is None:
            g_im = torch.zeros_like(g_re)
        # x's gradient is N * irfftn(g / w) (w: 1 on the DC and Nyquist bins,
        # 2 elsewhere, as irfftn counts each interior bin twice)
        bins = n_last // 2 + 1
        w = torch.full((bins,), 0.5, dtype=g_re.dtype, device=g_re.device)
        w[0] = 1.0
        if n_last % 2 == 0:
            w[-1] = 1.0
        w = w.reshape([-1] + [1] * (g_re.ndim - 1 - axes[-1]))
        g = torch.complex(g_re, g_im) * w
        grad = torch.fft.irfftn(g, s=ctx.lengths, dim=axes, norm=_DUAL[ctx.norm])
        return grad, None, None


def rfftn(x, axes, norm):
    if not x.requires_grad:
        return split(torch.fft.rfftn(x, dim=axes, norm=norm))
    return _RealFFT.apply(x, tuple(a % x.ndim for a in axes), norm)


def _joined(re, im):
    """The complex tensor of which ``re`` and ``im`` are the parts (split's
    views), where no gradient is recorded; else None.

    Then truncation, padding and the inverse FFT run on one complex tensor
    instead of two strided views (the forward-only spectral chain's cost).
    """
    if torch.is_grad_enabled() and (re.requires_grad or im.requires_grad):
        return None
    base = re._base
    if base is None or base is not im._base or not base.is_complex():
        return None
    if (
        re.shape != base.shape
        or re.data_ptr() != base.data_ptr()
        or im.data_ptr() != base.data_ptr() + re.element_size()
        or re.stride() != tuple(2 * n for n in base.stride())
        or im.stride() != re.stride()
    ):
        return None
    return base


def as_complex(re, im, copy):
    """The complex tensor of the pair where no gradient is recorded: the one
    whose parts ``re`` and ``im`` are, or (``copy``) a new one; else None."""
    z = _joined(re, im)
    if (
        z is None
        and copy
        and not (torch.is_grad_enabled() and (re.requires_grad or im.requires_grad))
    ):
        z = torch.complex(re, im)
    return z


def irfftn(re, im, axes, n_last, norm):
    s = [re.shape[a] for a in axes[:-1]] + [n_last]
    z = _joined(re, im)
    z = torch.complex(re, im) if z is None else z
    return torch.fft.irfftn(z, s=s, dim=axes, norm=norm)


def fftn(re, im, axes, norm, inverse):
    transform = torch.fft.ifftn if inverse else torch.fft.fftn
    return split(transform(torch.complex(re, im), dim=axes, norm=norm))


class _ContiguousBmm(torch.autograd.Function):
    """``torch.bmm`` whose backward multiplies a contiguous gradient.

    CPU bmm on strided operands (a permuted gradient) is several times slower
    than on contiguous ones.
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return torch.bmm(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        g = g.contiguous()
        need_a, need_b = ctx.needs_input_grad
        grad_a = torch.bmm(g, b.transpose(1, 2)) if need_a else None
        grad_b = torch.bmm(a.transpose(1, 2), g) if need_b else None
        return grad_a, grad_b


def einsum(subscripts, ar, ai, br, bi):
    """Complex einsum as two contiguous real bmm of the stacked parts.

    With the batch letters (in both operands and the output) leading and the
    contracted letters between: ``[ar; ai] @ br`` and ``[ar; ai] @ bi`` give
    the four real products. The weights are used in place (no copy where
    their letters are already in that order, as in kx.layers). None (use the
    portable path) for what this does not plan: ``...``, a letter twice in
    one operand, a letter summed out of one operand alone.
    """
    planned = _plan(subscripts, tuple(ar.shape), tuple(br.shape))
    if planned is None:
        return None
    a_perm, a_shape, b_perm, b_shape, nl, shape, perm = planned
    lhs = torch.cat(
        [t.permute(a_perm).reshape(a_shape) for t in (ar, ai)], dim=1
    ).contiguous()  # (nb, 2 nl, nc): rows of ar, then of ai
    tracked = torch.is_grad_enabled() and (
        lhs.requires_grad or br.requires_grad or bi.requires_grad
    )
    bmm = _ContiguousBmm.apply if tracked else torch.bmm
    y_r, y_i = (bmm(lhs, t.permute(b_perm).reshape(b_shape)) for t in (br, bi))
    re = y_r[:, :nl] - y_i[:, nl:]
    im = y_i[:, :nl] + y_r[:, nl:]
    return re.reshape(shape).permute(perm), im.reshape(shape).permute(perm)


@memoized
def _plan(subscripts, a_shape, b_shape):
    """Permutations and bmm shapes of ``einsum`` (None: not planned)."""
    if "..." in subscripts:
        return None
    inputs, out = subscripts.split("->")
    a, b = inputs.split(",")
    if any(len(set(t)) != len(t) for t in (a, b, out)):
        return None
    if any(c not in b and c not in out for c in a) or any(
        c not in a and c not in out for c in b
    ):
        return None
    batch = [c for c in out if c in a and c in b]
    left = [c for c in out if c in a and c not in b]
    right = [c for c in out if c in b and c not in a]
    contract = [c for c in a if c in b and c not in out]
    size = {c: n for t, x in ((a, a_shape), (b, b_shape)) for c, n in zip(t, x)}

    def n(letters):
        return math.prod(size[c] for c in letters)

    nb, nl, nr, nc = n(batch), n(left), n(right), n(contract)
    a_perm = [a.index(c) for c in batch + left + contract]
    b_perm = [b.index(c) for c in batch + contract + right]
    produced = batch + left + right
    return (
        a_perm,
        (nb, nl, nc),
        b_perm,
        (nb, nc, nr),
        nl,
        [size[c] for c in produced],
        [produced.index(c) for c in out],
    )


class _LTCUnfolds(torch.autograd.Function):
    """kx.ops.ltc_unfolds with its backward written out, on index operations.

    Layout: potentials as (N, batch), synapse terms as (S, batch), the two
    sums per neuron as (N, 2, batch) in the forward and (2, N, batch) in the
    backward, so that reading presynaptic potentials is one ``index_select``
    of contiguous rows and summing currents onto neurons one ``index_add``
    (the portable path's 0/1 matmuls do S times more arithmetic). Forward
    writes what backward needs into preallocated buffers; backward walks the
    solver steps in reverse with seven operations each and forms the
    parameter gradients at the end, each summed over steps and batch at once,
    where autograd would record and replay ~15 nodes per step.
    """

    @staticmethod
    def forward(ctx, v, num, den, cm, sigma, sigma_mu, w, w_erev, src, dest, n):
        # v is (batch, N); the others (batch, N), (1, N) or (N,)
        batch = max(x.shape[0] for x in (v, num, den, cm) if x.ndim == 2)
        units = v.shape[1]
        shape = (batch, units)
        synapses = src.shape[0]
        cm_t = cm[:, None] if cm.ndim == 1 else cm.expand(shape).T.contiguous()
        # [numerator, denominator] per neuron: where every step's sums start
        base = torch.stack([num.expand(shape).T, den.expand(shape).T], 1)
        sig, neg_sigma_mu = sigma[:, None], -sigma_mu[:, None]
        w_erev_, w_ = w_erev[:, None], w[:, None]
        pre = v.new_empty((n, synapses, batch))
        s = torch.empty_like(pre)
        vs = v.new_empty((n + 1, units, batch))
        sums = v.new_empty((n, units, 2, batch))
        currents = v.new_empty((synapses, 2, batch))
        current_num, current_den = currents.unbind(1)
        vs[0] = v.T
        pres, ss, vss, sumss = (
            pre.unbind(0),
            s.unbind(0),
            vs.unbind(0),
            sums.unbind(0),
        )
        for k in range(n):
            torch.index_select(vss[k], 0, src, out=pres[k])
            torch.sigmoid(torch.addcmul(neg_sigma_mu, pres[k], sig), out=ss[k])
            torch.mul(ss[k], w_erev_, out=current_num)
            torch.mul(ss[k], w_, out=current_den)
            torch.index_add(base, 0, dest, currents, out=sumss[k])
            top = torch.addcmul(sumss[k][:, 0], cm_t, vss[k])
            torch.div(top, sumss[k][:, 1], out=vss[k + 1])
        ctx.save_for_backward(cm_t, sigma, w, w_erev, src, dest, pre, s, vs, sums)
        ctx.shapes = (v.shape, num.shape, den.shape, cm.shape)
        return vs[n].T

    @staticmethod
    def backward(ctx, grad):
        cm_t, sigma, w, w_erev, src, dest, pre, s, vs, sums = ctx.saved_tensors
        n, units, _, batch = sums.shape
        synapses = src.shape[0]
        w_erev_, neg_w = w_erev[:, None], -w[:, None]
        slope = s - s * s
        slope_sigma = slope * sigma[:, None]
        # d v_pre / d [top, den] per synapse, for every step
        f_num = (slope_sigma * w_erev_).unbind(0)
        f_den = (slope_sigma * neg_w).unbind(0)
        # per step: [g_top, g_top * v] (the denominator's gradient is minus
        # the second) per neuron, then read per synapse: one index_select
        # of the rows [dest, N + dest]
        rows = torch.cat([dest, dest + units])
        g_sums = grad.new_empty((n, 2, units, batch))
        g_syn = grad.new_empty((n, 2, synapses, batch))
        g_sumss, g_syns = g_sums.unbind(0), g_syn.unbind(0)
        sumss, vss = sums.unbind(0), vs.unbind(0)
        g = grad.T
        for k in reversed(range(n)):
            g_top = torch.div(g, sumss[k][:, 1], out=g_sumss[k][0])
            torch.mul(g_top, vss[k + 1], out=g_sumss[k][1])
            torch.index_select(
                g_sumss[k].view(2 * units, batch),
                0,
                rows,
                out=g_syns[k].view(2 * synapses, batch),
            )
            g_num, g_den = g_syns[k]
            g_pre = torch.addcmul(g_num * f_num[k], g_den, f_den[k])
            g = torch.mul(g_top, cm_t).index_add_(0, src, g_pre)
        g_z = torch.addcmul(g_syn[:, 0] * w_erev_, g_syn[:, 1], neg_w) * slope
        g_w = g_syn.mul_(s[:, None]).sum((0, 3))
        g_top, g_den_neg = g_sums[:, 0], g_sums[:, 1]
        grads = (
            _reduce(g.T, ctx.shapes[0]),
            _reduce(g_top.sum(0).T, ctx.shapes[1]),
            _reduce(-g_den_neg.sum(0).T, ctx.shapes[2]),
            _reduce((g_top * vs[:-1]).sum(0).T, ctx.shapes[3]),
            (g_z * pre).sum((0, 2)),
            -g_z.sum((0, 2)),
            -g_w[1],
            g_w[0],
        )
        return (*grads, None, None, None)


def _reduce(g, shape):
    """``g`` summed over the dimensions broadcast to it from ``shape``."""
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    dims = list(range(extra)) + [
        extra + i for i, d in enumerate(shape) if d == 1 and g.shape[extra + i] != 1
    ]
    return g.sum(dims).reshape(shape)


@memoized
def _indices(sources, targets, device):
    return (
        torch.tensor(np.frombuffer(sources, dtype=np.int64), device=device),
        torch.tensor(np.frombuffer(targets, dtype=np.int64), device=device),
    )


def ltc_unfolds(v, num, den, cm, sigma, sigma_mu, w, w_erev, sources, targets, n):
    src, dest = _indices(sources, targets, v.device)
    return _LTCUnfolds.apply(v, num, den, cm, sigma, sigma_mu, w, w_erev, src, dest, n)


class _WithGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, forward, backward, *xs):
        out, saved = forward(*xs)
        ctx.backward, ctx.count = backward, len(xs)
        ctx.save_for_backward(*xs, *saved)
        return out

    @staticmethod
    def backward(ctx, grad):
        tensors = ctx.saved_tensors
        grads = ctx.backward(tensors[: ctx.count], tensors[ctx.count :], grad)
        return (None, None, *grads)


def with_gradient(forward, backward):
    return functools.partial(_WithGradient.apply, forward, backward)


def scan(f, init, xs, reverse):
    return python_scan(f, init, xs, reverse, torch.stack)


def layer_norm(x, gamma, beta, epsilon):
    # torch's fused kernel, in x's dtype (keras.ops.layer_normalization
    # computes float64 inputs in float32 on torch); half precision in float32
    dtype = x.dtype
    if dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    y = torch.nn.functional.layer_norm(
        x, (x.shape[-1],), gamma.to(x.dtype), beta.to(x.dtype), epsilon
    )
    return y.to(dtype)
