"""Grid positional embedding: append the coordinates of every grid point."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import ops

from kx.layers._rank import FixedRank
from kx.ops import checks
from kx.ops.types import Config, Shape, Tensor

__all__ = ["GridEmbedding", "GridEmbedding1D", "GridEmbedding2D", "GridEmbedding3D"]


def _boundaries(value, rank, owner):
    if value is None:
        return tuple((0.0, 1.0) for _ in range(rank))
    bad = ValueError(
        f"{owner}: `grid_boundaries` must be None or {rank} (low, high) pairs of "
        f"floats with low < high; got grid_boundaries={value!r}."
    )
    if not isinstance(value, list | tuple) or len(value) != rank:
        raise bad
    pairs = []
    for pair in value:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(
                isinstance(b, int | float) and not isinstance(b, bool) for b in pair
            )
            or not pair[0] < pair[1]
        ):
            raise bad
        pairs.append((float(pair[0]), float(pair[1])))
    return tuple(pairs)


@keras.saving.register_keras_serializable(package="kx")
class GridEmbedding(keras.layers.Layer):
    """Append one coordinate channel per spatial axis (the FNO grid embedding).

    Point ``j`` of ``n`` along an axis with boundaries ``(low, high)`` gets the
    coordinate ``low + (high - low) * j / n``: the periodic grid of the FFT, the
    same physical domain at every resolution, so a model that sees positions stays
    resolution independent. The output has ``channels + rank`` channels.

    Use :class:`GridEmbedding1D`, :class:`GridEmbedding2D` or
    :class:`GridEmbedding3D`.

    Args:
        rank: number of spatial axes, 1, 2 or 3.
        grid_boundaries: ``None`` (``(0, 1)`` on every axis) or one
            ``(low, high)`` pair per spatial axis.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = GridEmbedding2D()(np.zeros((2, 8, 6, 3), "float32"))
    >>> tuple(y.shape)
    (2, 8, 6, 5)
    """

    def __init__(
        self,
        rank: int,
        grid_boundaries: Sequence[Sequence[float]] | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = checks.check_rank(rank, owner)
        self.grid_boundaries = _boundaries(grid_boundaries, self.rank, owner)
        self.data_format = checks.data_format(data_format, owner)
        self.input_spec = keras.layers.InputSpec(ndim=self.rank + 2)

    def build(self, input_shape: Shape) -> None:
        checks.input_rank(input_shape, self.rank, type(self).__name__)

    def call(self, inputs: Tensor) -> Tensor:
        shape = ops.shape(inputs)
        axes = checks.spatial_axes(self.rank, self.data_format)
        sizes = [shape[a] for a in axes]
        coordinates = []
        for i, (n, (low, high)) in enumerate(zip(sizes, self.grid_boundaries)):
            line = ops.cast(ops.arange(n), inputs.dtype) / ops.cast(n, inputs.dtype)
            line = low + (high - low) * line
            view = [1] * self.rank
            view[i] = -1
            coordinates.append(ops.reshape(line, view))
        grids = [ops.broadcast_to(c, sizes) for c in coordinates]  # each (*spatial)
        grid = ops.stack(grids, axis=-1 if self.data_format == "channels_last" else 0)
        grid = ops.expand_dims(grid, 0)
        batch = [shape[0]] + [1] * (self.rank + 1)
        grid = ops.tile(grid, batch)
        return ops.concatenate(
            [inputs, ops.cast(grid, inputs.dtype)],
            axis=checks.channel_axis(self.data_format),
        )

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        shape = list(input_shape)
        axis = checks.channel_axis(self.data_format)
        channels = shape[axis]
        if channels is not None:
            shape[axis] = channels + self.rank
        return tuple(shape)

    def get_config(self) -> Config:
        config = super().get_config()
        config.update(
            {
                "rank": self.rank,
                "grid_boundaries": [list(pair) for pair in self.grid_boundaries],
                "data_format": self.data_format,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="kx")
class GridEmbedding1D(FixedRank, GridEmbedding):
    """1D grid embedding; the N-d :class:`GridEmbedding` with ``rank=1``.

    Args:
        grid_boundaries: ``None`` (``(0, 1)`` on every axis) or one
            ``(low, high)`` pair per spatial axis.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = GridEmbedding1D()(np.zeros((2, 16, 1), "float32"))
    >>> tuple(y.shape)
    (2, 16, 2)
    """

    def __init__(
        self,
        grid_boundaries: Sequence[Sequence[float]] | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            1,
            grid_boundaries=grid_boundaries,
            data_format=data_format,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class GridEmbedding2D(FixedRank, GridEmbedding):
    """2D grid embedding; the N-d :class:`GridEmbedding` with ``rank=2``.

    Args:
        grid_boundaries: ``None`` (``(0, 1)`` on every axis) or one
            ``(low, high)`` pair per spatial axis.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = GridEmbedding2D()(np.zeros((2, 8, 8, 1), "float32"))
    >>> tuple(y.shape)
    (2, 8, 8, 3)
    """

    def __init__(
        self,
        grid_boundaries: Sequence[Sequence[float]] | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            2,
            grid_boundaries=grid_boundaries,
            data_format=data_format,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="kx")
class GridEmbedding3D(FixedRank, GridEmbedding):
    """3D grid embedding; the N-d :class:`GridEmbedding` with ``rank=3``.

    Args:
        grid_boundaries: ``None`` (``(0, 1)`` on every axis) or one
            ``(low, high)`` pair per spatial axis.
        data_format: ``"channels_last"``, ``"channels_first"`` or ``None``.
        **kwargs: base ``Layer`` arguments (``name``, ``dtype``, ...).

    Call arguments:
        inputs: a float tensor ``(batch, *spatial, channels)``
            (``channels_last``) or ``(batch, channels, *spatial)``.

    Example:

    >>> import numpy as np
    >>> y = GridEmbedding3D()(np.zeros((1, 4, 4, 4, 1), "float32"))
    >>> tuple(y.shape)
    (1, 4, 4, 4, 4)
    """

    def __init__(
        self,
        grid_boundaries: Sequence[Sequence[float]] | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            3,
            grid_boundaries=grid_boundaries,
            data_format=data_format,
            **kwargs,
        )
