"""Where the tests keep what does not depend on the checkout: venvs keyed by interpreter
and requirements, Debian root filesystems, pip's wheels, pipx, Zensical's venv. Outside the
clone, so a clean clone (as in CI) on the same machine builds none of them again.
CLIPPER_GUIDE_CACHE overrides it; else $XDG_CACHE_HOME (or ~/.cache)/clipper-troubleshooting.
"""
import os
from pathlib import Path

USER_CACHE = Path(os.environ.get("CLIPPER_GUIDE_CACHE") or Path(
    os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "clipper-troubleshooting"))
