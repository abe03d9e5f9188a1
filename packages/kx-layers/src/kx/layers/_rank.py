"""The mixin that the 1D/2D/3D subclasses of the N-d layers share."""


class FixedRank:
    """The rank is fixed by the class, so it is left out of the config."""

    def get_config(self):
        config = super().get_config()
        config.pop("rank", None)
        return config
