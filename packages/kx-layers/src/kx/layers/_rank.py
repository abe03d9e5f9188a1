"""The mixin that the 1D/2D/3D subclasses of the N-d layers share."""

from __future__ import annotations

from kx.ops.types import Config


class FixedRank:
    """The rank is fixed by the class, so it is left out of the config."""

    def get_config(self) -> Config:
        # a mixin: the N-d keras Layer that follows it in the MRO has get_config
        config: Config = super().get_config()  # type: ignore[misc]
        config.pop("rank", None)
        return config
