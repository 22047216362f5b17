"""Zensical, Material's successor, in a cached venv of its own, if PyPI has it installable.

Which release: the newest one on PyPI, not an older one that pip's resolver
would fall back to when the newest cannot install (plain `pip install zensical`
picks 0.0.73 today, which ignores mkdocs.yml's `hooks:`).
Which that is (`pip index versions`) and whether it installs (`pip install
--dry-run`) is asked once per run, with timeouts, so an offline machine skips (in
about 20 s if PyPI never answers). The
venv is built once and cached under .cache/venvs/zensical-<version>.
ZENSICAL_VERSION=x.y.z tests that release instead of the newest.
"""
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "venvs"
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


def _newest_release():
    result = _pip(sys.executable, ["index", "versions", "zensical", *NEWEST], 120)
    found = re.search(r"^zensical \((\S+)\)$", result.stdout, re.M)
    if result.returncode != 0 or not found:
        raise ZensicalUnavailable("`pip index versions zensical` fails:\n{}".format(
            _pip_error(result)))
    return found.group(1)


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


@functools.lru_cache(maxsize=None)
def _installable():
    """(version, None) if the release to test installs, else (None, the reason)."""
    wanted = os.environ.get("ZENSICAL_VERSION")
    which = "set in ZENSICAL_VERSION" if wanted else "the newest release on PyPI"
    try:
        wanted = wanted or _newest_release()
        _would_install("zensical=={}".format(wanted))
    except ZensicalUnavailable as e:
        if not wanted:  # pip could not even name the newest release
            return None, str(e)
        return None, "Zensical {} ({}) does not install here: {}".format(wanted, which, e)
    return wanted, None


def installable_release():
    """The Zensical release to test if it installs (asked once per run); else raises
    ZensicalUnavailable with pip's exact error."""
    version, reason = _installable()
    if version is None:
        raise ZensicalUnavailable(reason)
    return version


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
        subprocess.run([sys.executable, "-m", "venv", str(building)], check=True, timeout=120,
                       capture_output=True)
        result = _pip(building / "bin" / "python",
                      ["install", "--quiet", "zensical=={}".format(version)], 240)
        if result.returncode != 0:
            raise ZensicalUnavailable("`pip install zensical=={}` into {} fails:\n{}".format(
                version, building, _pip_error(result)))
        building.rename(target)  # only a complete venv gets the final name
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return command
