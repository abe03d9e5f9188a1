"""Make tests-integration's model builders (portability.py) importable here."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests-integration"))
