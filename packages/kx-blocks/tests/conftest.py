"""Make the numpy reference equations (tests/blocks_reference.py) and the signature
check (tests/blocks_signatures.py) importable."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
