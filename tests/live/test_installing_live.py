"""docs/installing.md, reproduced: cloudpickle 0.5.3 on this Python, the
no-deps install in a fresh virtualenv, the closure deployer's refusal."""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from uv import find_uv_bin

from tests.live.clipper_live import shown
from tests.live.early import early
from tests.support import legacy_python
from tests.support.snippets import section
from tests.support.strict import skip_or_fail

pytestmark = pytest.mark.timeout(900)


def pip(*args, python=sys.executable, timeout=600):
    result = subprocess.run([python, "-m", "pip", "--disable-pip-version-check", *args],
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0 and ("NewConnectionError" in result.stderr
                                   or "No matching distribution" in result.stderr):
        skip_or_fail("PyPI is not reachable from this machine: " + result.stderr.strip().splitlines()[-1])
    assert result.returncode == 0, result.stderr
    return result


@early  # it waits on PyPI
def test_pinned_cloudpickle_does_not_import():
    with tempfile.TemporaryDirectory(prefix="pinned-cloudpickle-") as folder:
        pip("install", "--quiet", "--no-deps", "--target", folder, "cloudpickle==0.5.3")
        result = subprocess.run([sys.executable, "-c", "import clipper_admin"], capture_output=True,
                                text=True, timeout=120, env=dict(os.environ, PYTHONPATH=folder))
    assert result.returncode == 1
    assert "cloudpickle" in result.stderr
    if sys.version_info[:2] == (3, 11):
        assert result.stderr.splitlines()[-1] + "\n" == shown("cloudpickle_import_error.txt")


@early  # it waits on PyPI
def test_install_without_pins_gives_a_working_clipper_admin():
    with tempfile.TemporaryDirectory(prefix="no-pins-") as folder:
        install_without_pins(Path(folder) / "venv")


def install_without_pins(env_dir):
    # seeded with a current pip, as a reader's would be: ensurepip's 23.2 spent 19 CPU-s on this
    # list's index pages, 26.3 11 (and ensurepip plus an upgrade 5.6 CPU-s, uv 0.2)
    seeded = subprocess.run([find_uv_bin(), "venv", "--quiet", "--seed", "--python", sys.executable, str(env_dir)],
                            capture_output=True, text=True, timeout=300, env=legacy_python.uv_env())
    if seeded.returncode != 0 and "Failed to fetch" in seeded.stderr:
        skip_or_fail("PyPI is not reachable from this machine: " + seeded.stderr.strip().replace("\n", " "))
    assert seeded.returncode == 0, seeded.stderr
    env = dict(os.environ, PATH="{}:{}".format(env_dir / "bin", os.environ["PATH"]),
               VIRTUAL_ENV=str(env_dir), PIP_DISABLE_PIP_VERSION_CHECK="1")
    script = section("troubleshoot_snippets/install_clipper_admin.sh", "install_no_deps")
    result = subprocess.run(["bash", "-ec", script], capture_output=True, text=True, timeout=900, env=env)
    if result.returncode != 0 and "NewConnectionError" in result.stderr:
        skip_or_fail("PyPI is not reachable from this machine")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] + "\n" == shown("clipper_admin_version.txt")


def test_closure_deployer_refuses_this_python(docker_client):
    """Needs only a reachable engine: docker-py 7 connects when the manager is created."""
    from clipper_admin import ClipperConnection, DockerContainerManager, ClipperException
    from troubleshoot_snippets.installing import deploy_closure

    clipper_conn = ClipperConnection(DockerContainerManager())
    with pytest.raises(ClipperException) as error:
        deploy_closure(clipper_conn, "closure-model")
    line = "clipper_admin.exceptions.ClipperException: {}\n".format(error.value)
    expected = shown("closure_python_version.txt").replace(
        "Detected 3.11", "Detected {}.{}".format(*sys.version_info[:2]))
    assert line == expected
    assert docker_client.containers.list(all=True, filters={"label": "ai.clipper.model_container.label=closure-model_1"}) == []
