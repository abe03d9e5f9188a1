"""Helpers shared by the kx.blocks layers: weight configs, dense weights, shapes."""

from __future__ import annotations

import keras

from kx.ops import checks

__all__ = [
    "WEIGHT_OPTIONS",
    "WEIGHT_OPTIONS_WITH_CONSTRAINTS",
    "add_dense",
    "known_channels",
    "weight_config",
    "weight_options",
]

# the weight options of a layer with kernels and biases (constraints apart)
WEIGHT_OPTIONS = (
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
)
# ... and with the kernel and bias constraints
WEIGHT_OPTIONS_WITH_CONSTRAINTS = (
    *WEIGHT_OPTIONS,
    "kernel_constraint",
    "bias_constraint",
)

_SERIALIZERS = {
    "initializer": (keras.initializers.get, keras.initializers.serialize),
    "regularizer": (keras.regularizers.get, keras.regularizers.serialize),
    "constraint": (keras.constraints.get, keras.constraints.serialize),
}


def _kind(name):
    return name.rsplit("_", 1)[-1]


def weight_options(layer, **options):
    """Set ``layer.<name>`` for each ``*_initializer``/``*_regularizer``/
    ``*_constraint`` option, through the matching ``keras.*.get``."""
    for name, value in options.items():
        setattr(layer, name, _SERIALIZERS[_kind(name)][0](value))


def weight_config(layer, *names):
    """The serialized ``layer.<name>`` of each of those options, for get_config."""
    return {n: _SERIALIZERS[_kind(n)][1](getattr(layer, n)) for n in names}


def known_channels(layer, input_shape):
    """The last axis of ``input_shape``; a ValueError when it is unknown."""
    channels = input_shape[-1]
    if channels is None:
        checks.fail(
            type(layer).__name__,
            "input_shape",
            tuple(input_shape),
            "a shape whose last (channel) axis is known",
        )
    return int(channels)


def add_dense(layer, name, shape, use_bias=True):
    """A kernel of ``shape`` and (with ``use_bias``) a bias of ``shape[-1:]``, made
    with the layer's kernel/bias initializers, regularizers and constraints (those
    it has)."""

    def options(kind):
        return {
            "initializer": getattr(layer, f"{kind}_initializer"),
            "regularizer": getattr(layer, f"{kind}_regularizer", None),
            "constraint": getattr(layer, f"{kind}_constraint", None),
        }

    kernel = layer.add_weight(name=f"{name}_kernel", shape=shape, **options("kernel"))
    bias = None
    if use_bias:
        bias = layer.add_weight(
            name=f"{name}_bias", shape=tuple(shape[-1:]), **options("bias")
        )
    return kernel, bias
