"""Zensical, Material's successor, in a venv of its own in the user's cache, from PyPI.

Which release: the newest that installs here. The newest on PyPI is tried first,
then older ones, newest first, until one installs (0.1.x needs zensical-ui, which
this machine's PyPI lacks: 0.0.73 is the newest that installs on 2026-12-05).
The answer (which release, and pip's error for each newer one) is asked with
timeouts, so an offline machine skips, and cached in zensical/zensical.json
for a day, so a run normally asks PyPI nothing. The venv is built once, under
zensical/zensical-<version> (both in tests/support/user_cache.py's folder).
ZENSICAL_VERSION=x.y.z tests that release only.
"""
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from uv import find_uv_bin

from tests.support.legacy_python import uv_env
from tests.support.user_cache import USER_CACHE

CACHE = USER_CACHE / "zensical"
RESOLVED = CACHE / "zensical.json"
RESOLVED_FOR = 24 * 3600  # seconds a cached answer stands
MAX_TRIES = 8  # releases tried, newest first, before giving up
# Fail fast offline: pip's defaults (15 s, 5 retries with backoff) take minutes.
PIP = ["--disable-pip-version-check", "--no-input", "--timeout", "10", "--retries", "1"]
# The newest release is the newest with a wheel for the newest Python the project
# supports. Asked for the running Python, pip names 0.0.67 on 3.10 (0.1.x needs
# 3.11); `pip install --python-version` is no way round that: pip 23 still checks
# the running Python, after downloading every release.
NEWEST = ["--only-binary=:all:", "--python-version", "3.13"]


class ZensicalUnavailable(Exception):
    """No Zensical release installs here; the message says which and pip's error."""


def _pip(python, args, timeout):
    cmd = [str(python), "-m", "pip", *args, *PIP]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ZensicalUnavailable("`pip {}` got no answer within {} s (is PyPI reachable?)".format(
            " ".join(args), timeout))


def _pip_error(result):
    """pip's ERROR: lines verbatim, after its last network retry if any (or its last lines)."""
    lines = result.stderr.strip().splitlines()
    retried = [line for line in lines if line.startswith("WARNING: Retrying")]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return "\n".join(retried[-1:] + errors if errors else lines[-3:])


def _releases():
    """Zensical's releases on PyPI, newest first."""
    result = _pip(sys.executable, ["index", "versions", "zensical", *NEWEST], 120)
    found = re.search(r"^Available versions: (.+)$", result.stdout, re.M)
    if result.returncode != 0 or not found:
        raise ZensicalUnavailable("`pip index versions zensical` fails:\n{}".format(
            _pip_error(result)))
    return [v.strip() for v in found.group(1).split(",")]


def _would_install(requirement):
    """The Zensical version `pip install <requirement>` would install into an empty venv."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp, "report.json")
        result = _pip(sys.executable, ["install", "--dry-run", "--ignore-installed", "--quiet",
                                       "--report", str(report), requirement], 120)
        if result.returncode != 0:
            raise ZensicalUnavailable("`pip install {}` fails:\n{}".format(
                requirement, _pip_error(result)))
        for item in json.loads(report.read_text())["install"]:
            if item["metadata"]["name"].lower() == "zensical":
                return item["metadata"]["version"]
    raise ZensicalUnavailable("`pip install {}` would not install zensical".format(requirement))


def _resolve(wanted):
    """{"release": newest that installs or None, "newer": {version: pip's error}, "reason"}."""
    try:
        candidates = [wanted] if wanted else _releases()[:MAX_TRIES]
    except ZensicalUnavailable as e:
        return {"release": None, "newer": {}, "reason": str(e)}
    newer = {}
    for version in candidates:
        try:
            _would_install("zensical=={}".format(version))
            return {"release": version, "newer": newer, "reason": None}
        except ZensicalUnavailable as e:
            newer[version] = str(e)
    which = "set in ZENSICAL_VERSION" if wanted else "the newest {} on PyPI".format(len(newer))
    return {"release": None, "newer": newer, "reason": "no Zensical release ({}) installs "
            "here:\n{}".format(which, "\n".join("{}: {}".format(v, e) for v, e in newer.items()))}


@functools.lru_cache(maxsize=None)
def resolution():
    """Which release to test and why not the newer ones; from the cache if under a day old."""
    wanted = os.environ.get("ZENSICAL_VERSION")
    try:
        cached = json.loads(RESOLVED.read_text())
        if cached["wanted"] == wanted and time.time() - cached["asked"] < RESOLVED_FOR:
            return cached
    except (OSError, ValueError, KeyError):
        pass
    found = dict(_resolve(wanted), wanted=wanted, asked=time.time())
    if found["release"] or found["newer"]:  # PyPI answered: worth keeping
        CACHE.mkdir(parents=True, exist_ok=True)
        RESOLVED.write_text(json.dumps(found, indent=1))
    return found


def installable_release():
    """The newest Zensical release that installs here; else raises ZensicalUnavailable
    with pip's exact error for each release tried."""
    found = resolution()
    if found["release"] is None:
        raise ZensicalUnavailable(found["reason"])
    return found["release"]


def zensical_command(version):
    """The command that runs `zensical` from a cached venv with zensical==version."""
    target = CACHE / "zensical-{}".format(version)
    # bin/python survives the rename below; bin/zensical's #! line would not.
    command = [str(target / "bin" / "python"), "-m", "zensical"]
    if (target / "bin" / "python").exists():
        return command
    building = CACHE / "zensical-{}.building".format(version)
    shutil.rmtree(building, ignore_errors=True)
    try:
        # uv, as for tests/support/legacy_python.py: pip took 25-40 s of CPU here
        uv = find_uv_bin()
        subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(building)],
                       check=True, timeout=120, capture_output=True, env=uv_env())
        try:
            result = subprocess.run([uv, "pip", "install", "--quiet", "--python", str(building / "bin" / "python"),
                                     "zensical=={}".format(version)], capture_output=True, text=True, timeout=240,
                                    env=uv_env())
        except subprocess.TimeoutExpired:
            raise ZensicalUnavailable("`uv pip install zensical=={}` got no answer within 240 s "
                                      "(is PyPI reachable?)".format(version))
        if result.returncode != 0:
            raise ZensicalUnavailable("`uv pip install zensical=={}` into {} fails:\n{}".format(
                version, building, result.stderr.strip()))
        building.rename(target)  # only a complete venv gets the final name
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return command
