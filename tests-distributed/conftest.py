"""Load the backend's script from docs/distributed.md first: it sets up the virtual
devices (jax's XLA_FLAGS, tensorflow's logical CPUs), which must happen before jax or
tensorflow is imported or initialised."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import snippets

snippets.load(os.environ.get("KERAS_BACKEND", "tensorflow"))
