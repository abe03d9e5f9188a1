"""Make the helper modules beside these tests (portability.py) importable."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
