"""clipper-doctor installed as a user installs it: a clean clone of the committed HEAD, then
the install command docs/doctor.md shows (`pipx install .`, doctor.sh:install_clone) run
in it. Installed once per commit under build/doctor-install/<commit>/; pipx itself and pip's
wheel cache are kept in the user's cache (tests/support/user_cache.py), so a new commit, or a
clean clone, costs one local build.
"""
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time

from tests.support.snippets import ROOT, section
from tests.support.strict import skip_or_fail
from tests.support.user_cache import USER_CACHE

BUILD = ROOT / "build" / "doctor-install"
PIPX = "pipx==1.18.4"
PIP_CACHE = USER_CACHE / "pip"
# pipx's own venv and its shared libraries (the pip of every app's venv): per pipx and Python
PIPX_CACHE = USER_CACHE / "pipx-{}-py{}".format(PIPX.split("==")[1], sys.version.split()[0])
# Never dependencies of the doctor: the site's tools and the tests (issue 20).
NOT_INSTALLED = {"mkdocs", "mkdocs-material", "properdocs", "pymdown-extensions", "playwright", "pytest"}


class Installed:
    def __init__(self, target):
        self.target = target
        self.bin = target / "bin"
        self.doctor = self.bin / "clipper-doctor"
        self.venv = target / "pipx" / "venvs" / "clipper-doctor"
        self.python = self.venv / "bin" / "python"

    @property
    def install_seconds(self):
        return float((self.target / "install-seconds").read_text())

    def distributions(self):
        """{name: version} of every distribution in the doctor's venv."""
        code = ("import importlib.metadata as m, json; "
                "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))")
        out = subprocess.run([str(self.python), "-c", code], capture_output=True, text=True, timeout=60)
        return json.loads(out.stdout)

    def run(self, *args, cwd, timeout=180, **env):
        """clipper-doctor ARGS from `cwd`, found on PATH as after pipx's `ensurepath`."""
        path = "{}:{}".format(self.bin, os.environ["PATH"])
        return subprocess.run(["clipper-doctor", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, env=dict(os.environ, PATH=path, **env))


def _run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)
    if result.returncode != 0:
        skip_or_fail("`{}` failed (PyPI unreachable?):\n{}".format(
            " ".join(map(str, cmd)), "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])))
    return result


def pipx():
    """pipx from PyPI, in its own venv under PIPX_CACHE (the caller holds its lock)."""
    exe = PIPX_CACHE / "venv" / "bin" / "pipx"
    if not exe.exists():
        shutil.rmtree(exe.parent.parent, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(exe.parent.parent)])
        _run([str(exe.parent / "python"), "-m", "pip", "install", "--quiet", "--cache-dir", str(PIP_CACHE), PIPX])
    return exe


def installed_doctor():
    """The doctor installed from a clean clone of HEAD with the page's command (cached per commit)."""
    BUILD.mkdir(parents=True, exist_ok=True)
    with open(BUILD / "install.lock", "w") as lock:  # a static and a live run may ask at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _installed(_run(["git", "rev-parse", "HEAD"], cwd=ROOT).stdout.strip())


def _installed(commit):
    done = Installed(BUILD / commit)
    if (done.target / "install-seconds").exists():
        return done
    # Installed in place: a venv's scripts name their own path, so it cannot be moved.
    target = done.target
    shutil.rmtree(target, ignore_errors=True)
    clone = target / "clone"
    _run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)])
    _run(["git", "checkout", "--quiet", "--detach", commit], cwd=clone)
    PIPX_CACHE.mkdir(parents=True, exist_ok=True)
    with open(PIPX_CACHE / "lock", "w") as lock:  # another clone's run may use it at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        env = dict(os.environ, PIPX_HOME=str(target / "pipx"), PIPX_BIN_DIR=str(done.bin),
                   PIPX_SHARED_LIBS=str(PIPX_CACHE / "shared"), PIPX_MAN_DIR=str(target / "man"),
                   PIP_CACHE_DIR=str(PIP_CACHE), PATH="{}:{}".format(pipx().parent, os.environ["PATH"]))
        started = time.monotonic()
        _run(["bash", "-c", section("troubleshoot_snippets/doctor.sh", "install_clone")], cwd=clone, env=env)
        seconds = time.monotonic() - started
    shutil.rmtree(clone)
    (target / "install-seconds").write_text("{:.1f}\n".format(seconds))  # written last: complete
    for old in BUILD.iterdir():  # earlier commits' installs (27 MB each)
        if old.is_dir() and len(old.name) == 40 and old != target:
            shutil.rmtree(old, ignore_errors=True)
    return done
