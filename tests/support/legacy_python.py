"""Cached virtualenvs of any pyenv Python with clipper_admin 0.4.1 installed as pinned.

Some entries of the guide are about what users of an older or newer Python
see. Each venv is built once from pyenv's interpreter of that minor version
and cached in the user's cache (tests/support/user_cache.py), keyed by the
interpreter and its extra requirements. Python 3.6 is the default: the Python
clipper_admin 0.4.1 was released for.
"""
import fcntl
import glob
import hashlib
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

from uv import find_uv_bin

from tests.support.strict import skip_or_fail
from tests.support.user_cache import USER_CACHE

ROOT = Path(__file__).resolve().parents[2]
CACHE = USER_CACHE / "venvs"
# The pip each venv's own pip (the snippets run `python -m pip`) is held to; uv
# seeds the newest that supports that Python. pip 21 is the newest for 3.6.
PIP_FOR = {"3.6": "pip>=21,<22"}


def uv_env():
    """The environment for uv: the system's CA store, which carries a TLS-intercepting
    proxy's CA as pip's `cert` setting does (uv's own roots do not)."""
    return dict(os.environ, UV_NATIVE_TLS="1")


class LegacyPythonUnavailable(Exception):
    """No interpreter of that version, or PyPI could not be reached to fill the venv."""


def find_python(version="3.6"):
    """The newest pyenv (else PATH) interpreter of minor `version`, e.g. "3.12"."""
    found = glob.glob(os.path.expanduser("~/.pyenv/versions/{}.*/bin/python{}".format(version, version)))
    found.sort(key=lambda p: [int(n) for n in re.findall(r"\d+", p.split("/versions/")[1].split("/")[0])])
    exe = found[-1] if found else shutil.which("python" + version)
    if not exe:
        raise LegacyPythonUnavailable(
            "no Python {v} interpreter (looked in ~/.pyenv/versions/{v}.*/bin and on PATH): "
            "install one, e.g. `pyenv install {v}`".format(v=version))
    return exe


def find_python36():
    return find_python("3.6")


def python_venv(version="3.6", extra=()):
    """The python of a cached venv of Python `version` with clipper_admin==0.4.1 as
    pinned, then `extra` installed over it (e.g. a newer cloudpickle, as a user
    upgrading it would)."""
    base = find_python(version)
    key = hashlib.sha256("\n".join([base, *extra]).encode()).hexdigest()[:12]
    target = CACHE / key
    python = target / "bin" / "python"
    if python.exists():
        return python
    CACHE.mkdir(parents=True, exist_ok=True)
    # One builder per venv: a background scenario's thread and the main thread (one pid),
    # or pytest-xdist workers, may ask for the same venv at once.
    with open(CACHE / (key + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if python.exists():
            return python
        # With extras: a copy of the plain venv (a venv's python finds its prefix from
        # where it is run, and only bin/python is used), then the extras over it.
        plain = python_venv(version).parent.parent if extra else None
        _build(base, version, extra, target, plain)
    return python


def _build(base, version, extra, target, plain=None):
    building = target.with_name(target.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    try:
        # uv fills the venv: the same releases pip picks (both skip those whose
        # Requires-Python excludes it), in seconds instead of pip's 40 CPU-seconds.
        pip = [find_uv_bin(), "pip", "install", "--quiet", "--python", str(building / "bin" / "python")]
        if plain:
            shutil.copytree(plain, building, symlinks=True)
        else:
            _run([find_uv_bin(), "venv", "--quiet", "--seed", "--python", base, str(building)])
            if version in PIP_FOR:
                _run(pip + [PIP_FOR[version]])
            _run(pip + ["clipper_admin==0.4.1"])
        if extra:
            _run(pip + list(extra))
        # pip compiles what it installs (uv's --compile-bytecode cannot on 3.6); else each
        # `import clipper_admin` compiles kubernetes: over a minute under load. One core
        # (about 7 s): with both, it starved the live scenarios running meanwhile.
        subprocess.run([str(building / "bin" / "python"), "-m", "compileall", "-q", "-j", "1",
                        str(building / "lib")], capture_output=True, timeout=600)
        # Renamed only when complete, so a half-built venv is never used. Only
        # bin/python is used afterwards, and it survives the move.
        building.rename(target)
    finally:
        shutil.rmtree(building, ignore_errors=True)


def build_in_background(versions):
    """Start building the plain venvs of `versions` (those this machine has a Python of),
    one after another, in a thread; the thread. A test asking for one meanwhile waits on
    its lock; a build that fails is left to the test, which says why."""
    def build():
        for version in versions:
            try:
                python_venv(version)
            except LegacyPythonUnavailable:
                pass
    thread = threading.Thread(target=build, name="venv builds", daemon=True)
    thread.start()
    return thread


def python_venv_or_skip(version="3.6", extra=()):
    """python_venv(version, extra), or skip the calling test saying what is missing."""
    try:
        return python_venv(version, extra)
    except LegacyPythonUnavailable as e:
        skip_or_fail(str(e))


def legacy_venv(extra=()):
    return python_venv("3.6", extra)


def legacy_venv_or_skip(extra=()):
    return python_venv_or_skip("3.6", extra)


def _run(cmd):
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=uv_env())
    except subprocess.TimeoutExpired:
        raise LegacyPythonUnavailable("timed out after 600 s: " + " ".join(cmd))
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-3:])
        raise LegacyPythonUnavailable("`{}` failed:\n{}".format(" ".join(cmd), tail))


def run_python(python, code, env=None, timeout=120):
    """Run `code` with `python` from the project root; the CompletedProcess."""
    return subprocess.run([str(python), "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, **(env or {})))
