"""kx.ncps: CfC and LTC recurrent cells and layers, and their wirings."""

__version__ = "0.1.0"
