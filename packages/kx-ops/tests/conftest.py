"""Make the numpy references next to the tests (ltc_reference.py) importable."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
