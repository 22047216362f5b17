"""The fresh-machine test: the README's two commands in fresh Debian containers."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "fresh_machine: builds Debian root filesystems and runs the README's "
        "commands in them; CI=true or FRESH_MACHINE=1 runs it, FRESH_MACHINE=0 skips it")


def pytest_terminal_summary(terminalreporter):
    """Each release's wall times, recorded by the test as the user property `fresh_machine`."""
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", []):
                if key == "fresh_machine" and getattr(report, "when", "") == "call":
                    terminalreporter.write_line("fresh machine, " + value)


def missing_tools():
    """What this machine lacks to build and run the fresh machines, each with its fix."""
    gaps = []
    if os.geteuid() != 0:
        gaps.append("root (debootstrap and docker import run as root)")
    if not shutil.which("debootstrap"):
        gaps.append("debootstrap (apt-get install -y debootstrap)")
    if not shutil.which("docker"):
        gaps.append("the docker program (apt-get install -y docker.io)")
    elif subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode != 0:
        gaps.append("a running Docker engine (`docker info` fails)")
    return gaps


def host_problem():
    """None when the fresh-machine test runs here, else (whether to fail, why): it runs when
    asked for (CI=true or FRESH_MACHINE=1) and fails in CI when it cannot, since CI runs as
    root with Docker and .ci/run installs debootstrap."""
    wanted = os.environ.get("FRESH_MACHINE", "")
    ci = os.environ.get("CI") == "true"
    if wanted == "0":
        return False, "FRESH_MACHINE=0"
    if not (ci or wanted == "1"):
        return False, ("slow (several minutes per Debian release): runs with CI=true or "
                       "FRESH_MACHINE=1 as root, with a Docker engine and debootstrap")
    gaps = missing_tools()
    if gaps:
        return ci, "the fresh-machine test needs " + ", ".join(gaps)
    return None


def pytest_collection_finish(session):
    # Started now, the containers build and install (mostly waiting on the network) while
    # the tests before these run (the static suite, when this pytest has it: tests/conftest.py).
    if any(HERE in Path(str(item.path)).parents for item in session.items) and host_problem() is None:
        from tests.fresh_machine.readme_runs import start_runs
        start_runs()


@pytest.fixture(scope="session")
def fresh_machine_host():
    problem = host_problem()
    if problem:
        fail, reason = problem
        if fail:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
