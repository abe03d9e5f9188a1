"""Position embeddings of a token grid: learned (resampled to any grid) and fixed
sin-cos, both N-d."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from kx.ops import checks
from kx.ops.types import Config, DType, Initializer, Shape, Tensor

__all__ = [
    "LearnedPositionEmbedding",
    "SinCosPositionEmbedding",
    "resample_grid",
    "sincos_embedding",
]


def _interpolation_matrix(n_in, n_out, dtype):
    """``(n_out, n_in)`` weights of linear interpolation with half-pixel centres
    (the convention of ``keras.ops.image.resize(..., "bilinear")``)."""
    scale = ops.cast(n_in, "float32") / ops.cast(n_out, "float32")
    source = (ops.cast(ops.arange(n_out), "float32") + 0.5) * scale - 0.5
    source = ops.clip(source, 0.0, ops.cast(n_in - 1, "float32"))
    low = ops.floor(source)
    frac = source - low
    low = ops.cast(low, "int32")
    high = ops.minimum(low + 1, n_in - 1)
    weights = ops.one_hot(low, n_in) * (1.0 - frac)[:, None]
    weights = weights + ops.one_hot(high, n_in) * frac[:, None]
    return ops.cast(weights, dtype)


def resample_grid(embedding: Tensor, grid_shape: Sequence[int]) -> Tensor:
    """Linearly interpolate an ``(*grid, dim)`` embedding to ``(*grid_shape, dim)``.

    Separable linear interpolation along each grid axis with half-pixel centres
    (as ``keras.ops.image.resize(..., "bilinear", antialias=False)`` in 2D); an
    axis whose length is unchanged is kept exactly. ``grid_shape`` may hold
    tensors (dynamic sizes).

    Args:
        embedding: a float tensor ``(*grid, dim)``.
        grid_shape: the target grid, one size per grid axis.

    Returns:
        The ``(*grid_shape, dim)`` embedding.

    Example:

    >>> import numpy as np
    >>> tuple(resample_grid(np.ones((4, 4, 8), "float32"), (6, 2)).shape)
    (6, 2, 8)
    """
    x = ops.convert_to_tensor(embedding)
    for axis, n_out in enumerate(grid_shape):
        n_in = x.shape[axis]
        if isinstance(n_out, int) and n_out == n_in:
            continue
        weights = _interpolation_matrix(n_in, n_out, x.dtype)
        x = ops.moveaxis(ops.tensordot(weights, x, axes=[[1], [axis]]), 0, axis)
    return x


def sincos_embedding(
    grid_shape: Sequence[int | Tensor],
    dim: int,
    temperature: float = 10000.0,
    dtype: DType = "float32",
) -> Tensor:
    """The fixed N-d sin-cos position embedding of a grid, ``(*grid_shape, dim)``.

    Each of the ``rank`` grid axes gets ``dim // (2 * rank)`` frequencies
    ``omega_k = temperature ** (-k / (F - 1))``, ``k = 0 .. F - 1``, and the
    embedding of position ``(p_1, .., p_rank)`` is, axis by axis from the LAST grid
    axis to the first, ``[sin(p * omega), cos(p * omega)]``: in 2D, ``[sin(x w),
    cos(x w), sin(y w), cos(y w)]`` with ``x`` the column and ``y`` the row, as in
    Beyer et al. 2022 (big_vision's ``posemb_sincos_2d``). ``dim`` must be a
    multiple of ``2 * rank`` with at least 2 frequencies per axis.

    Args:
        grid_shape: the grid, one size (int or scalar tensor) per axis.
        dim: the embedding width.
        temperature: the longest wavelength's scale.
        dtype: dtype of the result.

    Returns:
        A tensor ``(*grid_shape, dim)``.

    Example:

    >>> tuple(sincos_embedding((3, 5), 8).shape)
    (3, 5, 8)
    """
    rank = len(grid_shape)
    freqs = dim // (2 * rank)
    omega = ops.arange(freqs, dtype="float32") / float(max(freqs - 1, 1))
    omega = 1.0 / ops.power(float(temperature), omega)
    coords = ops.meshgrid(
        *[ops.cast(ops.arange(n), "float32") for n in grid_shape], indexing="ij"
    )
    parts = []
    for axis in reversed(range(rank)):
        angle = coords[axis][..., None] * omega
        parts += [ops.sin(angle), ops.cos(angle)]
    return ops.cast(ops.concatenate(parts, axis=-1), dtype)


def _grid_input(layer, input_shape):
    owner = type(layer).__name__
    if not 3 <= len(input_shape) <= 5 or input_shape[-1] is None:
        checks.fail(
            owner,
            "input_shape",
            tuple(input_shape),
            "a token grid (batch, *grid, dim) of 1 to 3 grid axes with a known dim",
        )
    return tuple(input_shape[1:-1]), int(input_shape[-1])


@keras.saving.register_keras_serializable(package="kx")
class LearnedPositionEmbedding(keras.layers.Layer):
    """A learned position embedding of a token grid, resampled to other grids.

    Adds a ``(*grid_shape, dim)`` weight to a ``(batch, *grid, dim)`` token grid.
    On a grid of another shape (another input resolution; non-square grids too)
    the weight is linearly interpolated to that grid first (:func:`resample_grid`),
    as timm and keras-hub resample ViT embeddings.

    Args:
        grid_shape: None (the grid of the build input, which must then be known),
            or the grid of the weight, one int per grid axis.
        initializer: initializer of the weight (truncated normal, std 0.02, as
            timm, by default).
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a token grid ``(batch, *grid, dim)`` (1 to 3 grid axes).

    Example:

    >>> import numpy as np
    >>> layer = LearnedPositionEmbedding(grid_shape=(4, 4))
    >>> tuple(layer(np.ones((2, 6, 3, 8), "float32")).shape)
    (2, 6, 3, 8)
    >>> tuple(layer.embedding.shape)
    (4, 4, 8)
    """

    def __init__(
        self,
        grid_shape: Sequence[int] | None = None,
        initializer: Initializer = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        if grid_shape is not None:
            if (
                not isinstance(grid_shape, list | tuple)
                or not 1 <= len(grid_shape) <= 3
            ):
                checks.fail(owner, "grid_shape", grid_shape, "None or 1 to 3 ints")
            grid_shape = checks.int_tuple(
                tuple(grid_shape), len(grid_shape), "grid_shape", owner
            )
        self.grid_shape = grid_shape
        if initializer is None:
            initializer = keras.initializers.TruncatedNormal(stddev=0.02)
        self.initializer = keras.initializers.get(initializer)

    def build(self, input_shape: Shape) -> None:
        owner = type(self).__name__
        grid, dim = _grid_input(self, input_shape)
        shape = self.grid_shape
        if shape is None:
            if None in grid:
                checks.fail(
                    owner,
                    "grid_shape",
                    None,
                    f"a grid of {len(grid)} ints when the input grid {grid} is "
                    "not fully known",
                )
            shape = tuple(int(g) for g in grid)
        if len(shape) != len(grid):
            checks.fail(
                owner, "grid_shape", shape, f"{len(grid)} ints for input grid {grid}"
            )
        self._grid = shape
        self.embedding = self.add_weight(
            name="embedding", shape=(*shape, dim), initializer=self.initializer
        )
        # any grid size (resampled), but the weight's number of grid axes and dim
        self.input_spec = keras.layers.InputSpec(ndim=len(input_shape), axes={-1: dim})

    def call(self, inputs: Tensor) -> Tensor:
        static = tuple(inputs.shape[1:-1])
        if static == self._grid:
            return inputs + ops.cast(self.embedding, inputs.dtype)
        shape = ops.shape(inputs)
        grid = [s if s is not None else shape[i + 1] for i, s in enumerate(static)]
        embedding = resample_grid(ops.cast(self.embedding, "float32"), grid)
        return inputs + ops.cast(embedding, inputs.dtype)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "grid_shape": self.grid_shape,
                "initializer": keras.initializers.serialize(self.initializer),
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class SinCosPositionEmbedding(keras.layers.Layer):
    """The fixed N-d sin-cos position embedding, added to a token grid of any shape.

    Adds :func:`sincos_embedding` of the input's grid (computed for the grid it
    gets, so any resolution and any non-square grid is exact) to a
    ``(batch, *grid, dim)`` token grid. No weights. ``dim`` must be a multiple of
    ``2 * rank`` with ``dim >= 4 * rank``.

    Args:
        temperature: the longest wavelength's scale, a positive number.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a token grid ``(batch, *grid, dim)`` (1 to 3 grid axes).

    Example:

    >>> import numpy as np
    >>> tuple(SinCosPositionEmbedding()(np.zeros((2, 3, 5, 8), "float32")).shape)
    (2, 3, 5, 8)
    """

    def __init__(self, temperature: float = 10000.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.temperature = checks.number(
            temperature, "temperature", type(self).__name__, 0.0, low_open=True
        )

    def build(self, input_shape: Shape) -> None:
        self._check_width(input_shape)

    def _check_width(self, input_shape):
        grid, dim = _grid_input(self, input_shape)
        rank = len(grid)
        if dim % (2 * rank) or dim < 4 * rank:
            checks.fail(
                type(self).__name__,
                "input_shape",
                tuple(input_shape),
                f"a token width (dim) that is a multiple of {2 * rank} and at least "
                f"{4 * rank} for a {rank}-d grid",
            )

    def call(self, inputs: Tensor) -> Tensor:
        # no weights: any grid and width, each call's own checked
        self._check_width(tuple(inputs.shape))
        shape = ops.shape(inputs)
        static = tuple(inputs.shape[1:-1])
        grid = [s if s is not None else shape[i + 1] for i, s in enumerate(static)]
        embedding = sincos_embedding(grid, inputs.shape[-1], self.temperature)
        return inputs + ops.cast(embedding, inputs.dtype)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return tuple(input_shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update({"temperature": self.temperature})
        return config
