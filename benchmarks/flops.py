"""Matmul FLOPs of an FNO train step, counted from the layers' shapes.

Counts the multiply-adds (2 FLOPs each) of every matrix product a train step runs
in a model of ``keras.layers.Dense`` and kx FNO layers, by category:

* ``lifting/projection``: the ``Dense`` layers;
* ``1x1 path``: each FNO layer's bypass, a ``(points, in) x (in, out)`` product;
* ``transforms``: the kept-mode transforms of each spectral convolution, as
  ``kx.ops.truncated_rfftn``/``padded_irfftn`` compute them: one matrix product
  per axis with the kept-mode DFT matrices (``"dft"``), or, where those choose
  the FFT, ``2.5 n log2 n`` real FLOPs per real signal of length ``n`` and
  ``5 n log2 n`` per complex one (the standard radix-2 count);
* ``spectral mix``: the per-mode complex channel mix, 8 real FLOPs per complex
  multiply-add.

The backward pass costs, per product, one more product of the same size for the
gradient of each operand that needs one: the weights' (for the layers' kernels)
and the input's (for every layer but the first, whose input is the data). The
DFT matrices are constants. Elementwise work (activations, biases, the loss, the
optimizer's update) is not counted: on this machine it is memory-bound, and the
profile shows its time separately.
"""

from __future__ import annotations

import math

from kx.ops import dft_flops, dft_is_cheaper, fft_flops

CATEGORIES = ("lifting/projection", "1x1 path", "transforms", "spectral mix")


def _spatial(shape, rank, channels_last):
    return tuple(shape[1 : rank + 1]) if channels_last else tuple(shape[2:])


def total(counts):
    """Forward plus backward FLOPs over the categories of :func:`step_flops`."""
    return sum(sum(counts[c]) for c in CATEGORIES)


def transform_flops(batch, c_in, c_out, sizes, modes):
    """``(forward, inverse, method)``: FLOPs of a truncated rfftn of ``c_in``
    channels and of a padded irfftn of ``c_out`` channels, as SpectralConv calls
    them, by the method ``"auto"`` picks: ``kx.ops.dft_flops`` or
    ``kx.ops.fft_flops`` per signal (each the sum of a forward and an inverse
    of equal cost), times the signals."""
    if dft_is_cheaper(list(sizes), list(modes)):
        per_signal, method = dft_flops(sizes, modes), "dft"
    else:
        per_signal, method = fft_flops(sizes), "fft"
    half = per_signal / 2
    return int(half * batch * c_in), int(half * batch * c_out), method


def step_flops(model, input_shape):
    """``{category: (forward, backward)}`` matmul FLOPs of one train step.

    Args:
        model: a functional keras model of ``Dense`` and kx ``FNO`` layers (other
            layers are taken as free).
        input_shape: the batch's shape, ``(batch, *spatial, channels)``.

    Returns:
        The counts, and as ``"methods"`` the transform method of each FNO layer.
    """
    import keras

    from kx.layers import FNO, SpectralConv

    counts = {c: [0, 0] for c in CATEGORIES}
    methods = []
    shape = tuple(input_shape)
    first = True
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        out_shape = tuple(layer.compute_output_shape(shape))
        input_grad = 0 if first else 1
        if isinstance(layer, keras.layers.Dense):
            rows = math.prod(shape[:-1])
            f = 2 * rows * shape[-1] * layer.units
            counts["lifting/projection"][0] += f
            counts["lifting/projection"][1] += f * (1 + input_grad)
        elif isinstance(layer, (FNO, SpectralConv)):
            conv = layer.spectral_conv if isinstance(layer, FNO) else layer
            channels_last = conv.data_format == "channels_last"
            c_in = shape[-1] if channels_last else shape[1]
            batch, sizes = shape[0], _spatial(shape, conv.rank, channels_last)
            points = math.prod(sizes)
            if isinstance(layer, FNO):
                f = 2 * batch * points * c_in * layer.filters
                counts["1x1 path"][0] += f
                counts["1x1 path"][1] += f * (1 + input_grad)
            forward, inverse, method = transform_flops(
                batch, c_in, conv.filters, sizes, conv.modes
            )
            counts["transforms"][0] += forward + inverse
            # the inverse's input (the mixed spectrum) always needs a gradient
            counts["transforms"][1] += inverse + input_grad * forward
            kept = math.prod([2 * m for m in conv.modes[:-1]] + [conv.modes[-1]])
            f = 8 * batch * kept * c_in * conv.filters
            counts["spectral mix"][0] += f
            counts["spectral mix"][1] += f * (1 + input_grad)
            methods.append(method)
        first = False
        shape = out_shape
    result = {c: tuple(v) for c, v in counts.items()}
    result["methods"] = methods
    return result
