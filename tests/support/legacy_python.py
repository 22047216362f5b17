"""A Python 3.6 virtualenv with clipper_admin 0.4.1 installed as pinned.

Some entries of the guide are about what users of the Python clipper_admin
0.4.1 was released for see. The venvs are built once from pyenv's 3.6 and
cached under .cache/venvs/, keyed by their requirements.
"""
import glob
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "venvs"
# pip 21 is the newest for 3.6, and the first that skips releases whose
# Requires-Python excludes 3.6 (the machine's find-links wheels carry none).
PIP = "pip>=21,<22"


class LegacyPythonUnavailable(Exception):
    """No Python 3.6, or PyPI could not be reached to fill the venv."""


def find_python36():
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.6.*/bin/python3.6")))
    exe = found[-1] if found else shutil.which("python3.6")
    if not exe:
        raise LegacyPythonUnavailable(
            "no Python 3.6 interpreter (looked in ~/.pyenv/versions/3.6.*/bin and on PATH): "
            "install one, e.g. `pyenv install 3.6.15`")
    return exe


def legacy_venv(extra=()):
    """The python of a cached 3.6 venv with clipper_admin==0.4.1 as pinned, then `extra`
    installed over it (e.g. a newer cloudpickle, as a user upgrading it would)."""
    base = find_python36()
    key = hashlib.sha256("\n".join([base, *extra]).encode()).hexdigest()[:12]
    target = CACHE / key
    python = target / "bin" / "python"
    if python.exists():
        return python
    building = CACHE / (key + ".building-{}".format(os.getpid()))
    shutil.rmtree(building, ignore_errors=True)
    try:
        _run([base, "-m", "venv", str(building)])
        pip = [str(building / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        _run(pip + [PIP])
        _run(pip + ["clipper_admin==0.4.1"])
        if extra:
            _run(pip + list(extra))
        # Renamed only when complete, so a half-built venv is never used. Only
        # bin/python is used afterwards, and it survives the move.
        building.rename(target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return python


def legacy_venv_or_skip(extra=()):
    """legacy_venv(extra), or skip the calling test saying what is missing."""
    try:
        return legacy_venv(extra)
    except LegacyPythonUnavailable as e:
        pytest.skip(str(e))


def _run(cmd):
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise LegacyPythonUnavailable("timed out after 600 s: " + " ".join(cmd))
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-3:])
        raise LegacyPythonUnavailable("`{}` failed:\n{}".format(" ".join(cmd), tail))


def run_python(python, code, env=None, timeout=120):
    """Run `code` with `python` from the project root; the CompletedProcess."""
    return subprocess.run([str(python), "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, **(env or {})))
