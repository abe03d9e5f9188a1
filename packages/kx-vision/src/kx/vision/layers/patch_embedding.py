"""PatchEmbedding: non-overlapping patches (or tubelets) of an N-d input as tokens."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kx.ops import checks
from kx.ops.types import Config, Initializer, IntOrTuple, Shape, Tensor

__all__ = ["PatchEmbedding"]


@keras.saving.register_keras_serializable(package="kx")
class PatchEmbedding(keras.layers.Layer):
    """Cut an N-d input into non-overlapping patches and project each to ``dim``.

    One convolution with kernel = stride = ``patch_size`` (Dosovitskiy et al. 2021):
    each token sees exactly one local patch (1D segment, 2D patch, 3D tubelet), so
    changing one input value changes exactly one token. The rank (1, 2 or 3
    spatial axes) is that of the input. Tokens come out channels last, either as
    the patch grid ``(batch, *grid, dim)`` (``flatten=False``) or flattened in
    row-major order of that grid, ``(batch, prod(grid), dim)``.

    Args:
        patch_size: an int (the same along every spatial axis) or one int per
            spatial axis.
        dim: width of each token, a positive int.
        pad: False: an input size that ``patch_size`` does not divide is a
            ValueError; True: such inputs are zero-padded at the end of each axis
            up to the next multiple.
        flatten: whether to flatten the patch grid into one token axis.
        data_format: ``"channels_last"`` (default from Keras's setting) or
            ``"channels_first"`` for the input; the tokens are channels last.
        use_bias: whether the projection has a bias.
        kernel_initializer: initializer of the ``(*patch_size, channels, dim)``
            kernel.
        bias_initializer: initializer of the bias.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: ``(batch, *spatial, channels)`` (or channels first), 1 to 3
            spatial axes.

    Example:

    >>> import numpy as np
    >>> layer = PatchEmbedding(4, 16)
    >>> tuple(layer(np.ones((2, 8, 12, 3), "float32")).shape)
    (2, 6, 16)
    >>> tuple(PatchEmbedding((2, 4, 4), 16, flatten=False)(
    ...     np.ones((1, 4, 8, 8, 1), "float32")).shape)
    (1, 2, 2, 2, 16)
    """

    def __init__(
        self,
        patch_size: IntOrTuple,
        dim: int,
        pad: bool = False,
        flatten: bool = True,
        data_format: str | None = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = "glorot_uniform",
        bias_initializer: Initializer = "zeros",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        if isinstance(patch_size, list | tuple):
            if not 1 <= len(patch_size) <= 3:
                checks.fail(owner, "patch_size", patch_size, "an int or 1 to 3 ints")
            patch_size = checks.int_tuple(
                patch_size, len(patch_size), "patch_size", owner
            )
        else:
            patch_size = checks.positive_int(patch_size, "patch_size", owner)
        self.patch_size = patch_size
        self.dim = checks.positive_int(dim, "dim", owner)
        self.pad = checks.boolean(pad, "pad", owner)
        self.flatten = checks.boolean(flatten, "flatten", owner)
        self.data_format = checks.data_format(data_format, owner)
        self.use_bias = checks.boolean(use_bias, "use_bias", owner)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    def _patches(self, rank):
        if isinstance(self.patch_size, int):
            return (self.patch_size,) * rank
        if len(self.patch_size) != rank:
            checks.fail(
                type(self).__name__,
                "patch_size",
                self.patch_size,
                f"an int or {rank} ints for an input of {rank} spatial axes",
            )
        return self.patch_size

    def _spatial(self, shape):
        shape = tuple(shape)
        if self.data_format == "channels_first":
            return shape[2:], shape[1]
        return shape[1:-1], shape[-1]

    def _check_sizes(self, spatial, patches):
        if self.pad:
            return
        for n, p in zip(spatial, patches):
            if n is not None and int(n) % p:
                checks.fail(
                    type(self).__name__,
                    "input_shape",
                    tuple(spatial),
                    f"spatial sizes divisible by patch_size={patches} "
                    "(or pass pad=True)",
                )

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        if not 3 <= len(input_shape) <= 5:
            checks.fail(owner, "input_shape", tuple(input_shape), "1 to 3 spatial axes")
        spatial, channels = self._spatial(input_shape)
        if channels is None:
            checks.fail(owner, "input_shape", tuple(input_shape), "known channels")
        self.rank = len(spatial)
        self._patch = self._patches(self.rank)
        self._check_sizes(spatial, self._patch)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self._patch, int(channels), self.dim),
            initializer=self.kernel_initializer,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.dim,), initializer=self.bias_initializer
            )
        axis = checks.channel_axis(self.data_format)
        self.input_spec = keras.layers.InputSpec(
            ndim=len(input_shape), axes={axis: int(channels)}
        )

    def call(self, inputs: Tensor) -> Tensor:
        spatial = checks.spatial_axes(self.rank, self.data_format)
        checks.nonempty_axes(ops.shape(inputs), spatial, type(self).__name__)
        x = inputs
        if self.data_format == "channels_first":
            x = ops.moveaxis(x, 1, -1)
        self._check_sizes(tuple(x.shape[1:-1]), self._patch)
        if self.pad:
            shape = ops.shape(x)
            widths = [(0, 0)]
            for axis, p in enumerate(self._patch):
                widths.append((0, (-shape[axis + 1]) % p))
            x = ops.pad(x, widths + [(0, 0)])
        y = ops.conv(x, self.kernel, strides=self._patch, padding="valid")
        if self.bias is not None:
            y = y + self.bias
        if self.flatten:
            y = ops.reshape(y, (ops.shape(y)[0], -1, self.dim))
        return y

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        spatial, _ = self._spatial(input_shape)
        patches = self._patches(len(spatial))
        grid: list[int | None] = []
        for n, p in zip(spatial, patches):
            if n is None:
                grid.append(None)
            else:
                grid.append(-(-int(n) // p) if self.pad else int(n) // p)
        if self.flatten:
            tokens: int | None = 1
            for g in grid:
                tokens = None if tokens is None or g is None else tokens * g
            return (input_shape[0], tokens, self.dim)
        return (input_shape[0], *grid, self.dim)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "patch_size": self.patch_size,
                "dim": self.dim,
                "pad": self.pad,
                "flatten": self.flatten,
                "data_format": self.data_format,
                "use_bias": self.use_bias,
                "kernel_initializer": keras.initializers.serialize(
                    self.kernel_initializer
                ),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            }
        )
        return config
