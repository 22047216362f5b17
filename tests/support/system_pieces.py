"""Debian packages the tests need beyond .venv, and the apt-get line for the missing ones.

scripts/setup.sh runs this file with the system Python (stdlib only) to learn what to
install; a test that needs a package calls require(), which skips with the same line
(fails under CI=true, where setup.sh installs everything as root).
"""
import os
import shutil
import subprocess
import sys


def chromium_path():
    """The browser the browser tests drive: CHROMIUM_PATH, else Debian's chromium."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def _has_libatomic():
    # Playwright's bundled node driver links libatomic.so.1; chromium does not pull it in.
    try:
        cache = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True,
                               timeout=30).stdout
    except OSError:
        cache = ""
    return "libatomic.so.1 " in cache or any(
        os.path.exists(os.path.join(d, "libatomic.so.1"))
        for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"))


CHECKS = {
    "chromium": lambda: os.path.exists(chromium_path()),
    "libatomic1": _has_libatomic,
    "docker.io": lambda: shutil.which("docker") is not None,
}


def missing(*packages):
    return [p for p in packages if not CHECKS[p]()]


def apt_line(packages):
    return ("" if os.geteuid() == 0 else "sudo ") + "apt-get install -y " + " ".join(packages)


def require(*packages):
    """Skip the calling test (fail it under CI=true) unless every package is there."""
    import pytest

    gone = missing(*packages)
    if gone:
        reason = "missing {}: run `{}` (bash scripts/setup.sh --browser does, as root or with sudo)".format(
            ", ".join(gone), apt_line(gone))
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


if __name__ == "__main__":
    print(" ".join(missing(*sys.argv[1:])))
