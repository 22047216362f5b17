"""docs/docker-cluster.md, reproduced: Docker unreachable (no engine, no
permission, an old docker-py), a cluster that already exists, a taken port."""
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
import requests
from clipper_admin import ClipperException

from tests.live import clipper_live
from tests.live.background import background
from tests.live.clipper_live import fresh_input, post, register_app, shown, wait_connected
from tests.live.conftest import remove_second_cluster, second_cluster_connection
from tests.support import legacy_python, system_pieces
from tests.support.snippets import ROOT, section
from tests.support.strict import skip_or_fail
from troubleshoot_snippets import default_predictions, docker_cluster
from troubleshoot_snippets.model_image import deploy_image

pytestmark = pytest.mark.timeout(600)
SHELL = clipper_live.DOCKER_CLUSTER_SNIPPETS


def run_shell(name, **env):
    return clipper_live.run_shell(name, SHELL, **env)


def as_line(error):
    """How an uncaught exception's last traceback line reads."""
    return "{}.{}: {}\n".format(type(error).__module__, type(error).__qualname__, error)


@pytest.fixture
def dead_socket(tmp_path):
    """DOCKER_HOST for a socket path where no engine listens."""
    return "unix://{}".format(tmp_path / "no-engine.sock")


def test_no_engine_with_current_docker_py(dead_socket):
    system_pieces.require("docker.io")  # the engine_info snippet runs the docker program
    # In a child process: DOCKER_HOST set in this one would reach the background scenarios.
    code = section("troubleshoot_snippets/docker_cluster.py", "start_clipper")
    result = legacy_python.run_python(sys.executable, code, env={"DOCKER_HOST": dead_socket})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] + "\n" == shown("docker_unreachable_no_engine.txt")

    expected = shown("docker_info_no_engine.txt").replace("unix:///var/run/docker.sock", dead_socket)
    for program in docker_programs():  # Debian 12's docker.io (20.10) words some errors otherwise
        info = run_shell("engine_info", DOCKER_HOST=dead_socket,
                         PATH="{}:{}".format(os.path.dirname(program), os.environ["PATH"]))
        assert info.returncode == 1, program
        assert info.stderr.strip().splitlines()[-1] + "\n" == expected, program


def docker_programs():
    """Each distinct `docker` program on PATH (a machine may have Debian's and a newer one)."""
    seen = {}
    for folder in os.environ["PATH"].split(os.pathsep):
        program = os.path.join(folder, "docker")
        if os.access(program, os.X_OK):
            seen.setdefault(os.path.realpath(program), program)
    return list(seen.values())


def test_engine_info_when_the_engine_runs(docker_client):
    info = run_shell("engine_info")
    assert (info.returncode, info.stdout.strip()) == (0, docker_client.version()["Version"])


# Imports as root, then becomes nobody: what runs as nobody needs nothing of the checkout,
# so the test works wherever the clone lies (a mode-700 home included).
AS_NOBODY = """
import grp, os, pwd
import clipper_admin, docker  # the snippet imports them when called
import troubleshoot_snippets.docker_cluster as snippets
os.chdir("/tmp")
os.setgroups([])
os.setgid(grp.getgrnam("nogroup").gr_gid)
os.setuid(pwd.getpwnam("nobody").pw_uid)
snippets.start_cluster()
"""


def test_no_permission_on_the_socket(docker_client):
    setpriv = shutil.which("setpriv")
    socket = "/var/run/docker.sock"
    if os.geteuid() != 0 or not setpriv or not os.path.exists(socket):
        skip_or_fail("needs root (to become user nobody) and an engine on " + socket)
    env = dict(os.environ, HOME="/tmp")
    env.pop("DOCKER_HOST", None)
    result = subprocess.run([sys.executable, "-c", AS_NOBODY], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.stderr.splitlines()[-1] + "\n" == shown("docker_unreachable_permission.txt")
    nobody = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    info = subprocess.run(nobody + ["bash", "-c", section(SHELL, "engine_info")], cwd="/tmp",
                          capture_output=True, text=True, env=env, timeout=60)
    assert info.returncode == 1
    assert "permission denied while trying to connect to the Docker daemon socket" in info.stderr


@pytest.mark.parametrize("extra, output_file", [
    # docker-py 3.x, as in 2019: start_clipper's own message
    (["docker==3.7.3"], "docker_unreachable_legacy.txt"),
    # the last release before version='auto' became the default, and the first with it
    (["docker==4.3.0"], "docker_unreachable_legacy.txt"),
    (["docker==4.3.1"], "docker_unreachable_no_engine.txt"),
    # what pip installs on 3.6 today (docker-py 5.0.3) fails like the current client
    ([], "docker_unreachable_no_engine.txt"),
], ids=["docker-py 3.7.3", "docker-py 4.3.0", "docker-py 4.3.1", "docker-py 5.0.3"])
def test_no_engine_on_python_36(dead_socket, extra, output_file):
    """Python 3.6 and clipper_admin 0.4.1 as pinned, the start_clipper snippet, no engine."""
    python = legacy_python.legacy_venv_or_skip(extra)
    code = section("troubleshoot_snippets/docker_cluster.py", "start_clipper")
    result = legacy_python.run_python(python, code, env={"DOCKER_HOST": dead_socket})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] + "\n" == shown(output_file)


@pytest.mark.live
def test_cluster_already_exists(clipper_conn, capsys):
    with pytest.raises(ClipperException) as error:
        docker_cluster.start_cluster()
    assert as_line(error.value) == shown("cluster_exists.txt")

    conn = default_predictions.connect()
    assert conn.get_query_addr() == clipper_conn.get_query_addr()
    assert isinstance(conn.get_all_apps(), list)


def bound(port):
    """Whether binding 127.0.0.1:`port` fails, the test clipper_admin's find_unbound_port makes."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
        return False


@pytest.mark.live
@background
def test_query_frontend_not_on_1337(live):
    clipper_conn, docker_client = live.conn, live.docker
    # clipper_admin tests a port by binding it on 127.0.0.1; that only fails while
    # Docker's userland proxy listens on the published port.
    session_port = int(clipper_conn.get_query_addr().rsplit(":", 1)[1])
    if not bound(session_port):
        skip_or_fail("port {} looks free although the session's cluster publishes it: the engine runs "
                     "without its userland proxy, so clipper_admin cannot see taken ports".format(session_port))
    second = second_cluster_connection("port-check")
    # 1337 is taken by the session's cluster, unless that one got another port (1337 was
    # still in TIME_WAIT from a previous run): then this test takes 1337 while the second starts
    holder = None if bound(1337) else socket.create_server(("127.0.0.1", 1337))
    try:
        try:
            clipper_live.once_more_if_port_taken(
                second.start_clipper, lambda: remove_second_cluster(docker_client, "port-check"),
                "port-check", second.cm)
        finally:
            if holder:
                holder.close()
        live.printed()
        addr = docker_cluster.query_address(second)
        assert live.printed() == addr + "\n"
        host, port = addr.split(":")
        assert host == "localhost" and port != "1337" and 10000 <= int(port) <= 50000

        register_app(second, "port-app")
        # the symptom: a hard-coded :1337 does not reach this cluster
        with pytest.raises(requests.exceptions.ConnectionError) as error:
            requests.post("http://localhost:1337/port-app/predict", json={"input": [1.1, 2.2]}, timeout=10)
        if clipper_conn.get_query_addr() == "localhost:1337":
            assert "RemoteDisconnected('Remote end closed connection without response')" in str(error.value)

        ports = run_shell("frontend_ports")
        assert ports.returncode == 0, ports.stderr
        assert any("->1337/tcp" in line and ":{}->1337/tcp".format(port) in line
                   for line in ports.stdout.splitlines()), ports.stdout

        response = default_predictions.query(second, "port-app", [1.1, 2.2])
        assert response.json()["default_explanation"] == "No connected models found for query"

        # the page: a cluster has two anonymous volumes, gone with v=True
        cluster = {"label": "ai.clipper.container.label=port-check"}
        volumes = {m["Name"]: m["Destination"] for c in docker_client.containers.list(all=True, filters=cluster)
                   for m in c.attrs["Mounts"] if m["Type"] == "volume"}
        assert sorted(volumes.values()) == ["/data", "/prometheus"], volumes
        docker_cluster.start_over(second)
        assert docker_client.containers.list(all=True, filters=cluster) == []
        assert [v.name for v in docker_client.volumes.list() if v.name in volumes] == []
    finally:
        remove_second_cluster(docker_client, "port-check", getattr(second.cm, "prom_config_path", None))


@pytest.mark.live
@background(own_cluster="cpu-check", capped=False, alone=True)  # its frontend's CPU: its scenario's alone
def test_query_frontend_spins_a_core_for_the_slo(live):
    """Measured before the pool, on a calm machine: amid the other scenarios the spin got a
    share of a core only, and `docker stats` took longer than the SLO (runs 36-42, CI)."""
    clipper_conn, slo = live.conn, 10.0
    clipper_conn.register_application("cpu-app", "doubles", "-1.0", int(slo * 1e6))
    deploy_image(clipper_conn, "cpu-model", "1", live.images["sum-model", "1"])
    default_predictions.link_model(clipper_conn, "cpu-app", "cpu-model")
    wait_connected(clipper_conn, "cpu-model")  # no query yet: no timer
    (frontend,) = clipper_live.query_frontends(live.docker, "cpu-check")
    idle = clipper_live.cores_used(frontend)

    steps = []
    for _ in range(3):
        started = time.monotonic()
        assert post(clipper_conn, "cpu-app", fresh_input())[1]["default"] is False
        answered = time.monotonic() - started
        # answered, yet its timer thread spins until the SLO; the page's snippet shows it too
        busy = clipper_live.cores_used(frontend)
        measured = time.monotonic() - started
        stats = run_shell("frontend_cpu")
        steps.append((round(answered, 2), round(measured, 1), round(time.monotonic() - started, 1), stats.stderr))
        line = next((l for l in stats.stdout.splitlines() if l.startswith(frontend.name + "  ")), None)
        if line and time.monotonic() - started < slo:
            break
        # `docker stats` fails when another cluster's container, listed a moment before, is
        # removed meanwhile (run 42): try again once the SLO has run out
        time.sleep(max(0.0, started + slo + 1 - time.monotonic()))
    else:
        raise AssertionError("no measurement within the SLO; seconds (answered, measured, shown): {}".format(steps))
    yield  # the rest runs in the pool
    shown_busy = float(line.split()[-1].rstrip("%"))
    assert busy > max(0.1, 5 * idle) and shown_busy / 100 > max(0.05, 4 * idle), (steps, idle, busy, line)

    time.sleep(max(0.0, started + slo + 1 - time.monotonic()))
    after = clipper_live.cores_used(frontend)  # the timer has run out: back to idle
    assert after < busy / 2, (idle, busy, after)

    # the fix: capped, it spins at half a core and still answers
    assert clipper_live.cap_query_frontend("cpu-check") == [frontend.short_id]
    frontend.reload()
    assert frontend.attrs["HostConfig"]["NanoCpus"] == 500000000
    assert post(clipper_conn, "cpu-app", fresh_input())[1]["default"] is False
    capped = clipper_live.cores_used(frontend)
    assert capped < 0.55, (busy, capped)
