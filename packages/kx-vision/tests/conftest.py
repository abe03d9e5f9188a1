"""Make the shared hand counts (tests/vision_reference.py) importable."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
