"""clipper-doctor on the situations of issue 23, each on a real cluster: queries that got the
default, another cluster name, a stopped cluster brought back, and a bundle that holds only
the cluster's own containers."""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live.background import background
from tests.live.clipper_live import (
    DOCKER_CLUSTER_SNIPPETS, post, register_app, shown, wait_connected, wait_for_prediction, wait_until,
)
from tests.live.conftest import CLUSTER
from tests.live.test_doctor_live import doctor, normalized, same_as_shown
from tests.support.snippets import ROOT, section
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.doctor.checks import exception_line
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

STOPPED = "doctor-stopped"


def shell(path, name, **env):
    return subprocess.run(["bash", "-c", section(path, name)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, **env))


@background
def test_queries_that_got_the_default_are_counted(live):
    clipper_conn, app, model = live.conn, "doctor-defaults-app", "doctor-defaults-model"
    register_app(clipper_conn, app)
    deploy_image(clipper_conn, model, "1", live.images["sum-model", "1"])
    wait_connected(clipper_conn, model)
    yield
    before = snippets.defaults_count(clipper_conn, app)
    # --query, before the link: the answer is the default, mapped to its entry
    result = doctor("--app", app, "--query", "[1.0, 2.0]", "--no-image-probe")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "one query: [1.0, 2.0] -> HTTP 200" in result.stdout
    assert "matched: No connected models found for query" in result.stdout
    assert "default-predictions/#no-connected-models" in result.stdout
    sent = [True] + [post(clipper_conn, app, [1.0, 2.0])[1]["default"] for _ in range(5)]  # not linked
    snippets.link_model(clipper_conn, app, model)
    wait_for_prediction(clipper_conn, app)
    sent += [post(clipper_conn, app, [1.0, 2.0])[1]["default"] for _ in range(3)]
    assert sent[:6] == [True] * 6

    def counted():
        d, n = snippets.defaults_count(clipper_conn, app)
        return (d, n) if n - before[1] >= len(sent) + 1 else None
    live.printed()
    defaults, total = wait_until(counted, 15, "the query frontend to count the queries")
    assert defaults - before[0] >= 6 and total - before[1] >= len(sent) + 1
    printed = live.printed().splitlines()[-1] + "\n"
    assert printed == "{} of {} queries got the default\n".format(defaults, total)
    assert normalized(printed) == normalized(shown("defaults_count.txt"))

    result = doctor("--app", app, "--cluster", CLUSTER, "--no-image-probe")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "{} of {} queries got the default".format(defaults, total) in result.stdout
    assert "default-predictions/#defaults-count" in result.stdout
    assert same_as_shown(result.stdout, "doctor_defaults.txt")
    result = doctor("--app", app, "--query", "[1.0, 2.0]", "--no-image-probe")
    assert result.returncode == 0, result.stdout + result.stderr
    assert '[ok] one query: [1.0, 2.0] -> HTTP 200 {"query_id":' in result.stdout


@background(own_cluster=STOPPED)
def test_a_stopped_cluster_is_recognised_and_started_again(live):
    from clipper_admin import ClipperConnection, DockerContainerManager
    clipper_conn, app, model = live.conn, "stopped-app", "stopped-model"
    register_app(clipper_conn, app, slo_micros=1000000)  # the doctor's last run wants the latency under it
    deploy_image(clipper_conn, model, "1", live.images["sum-model", "1"])
    snippets.link_model(clipper_conn, app, model)
    wait_for_prediction(clipper_conn, app)
    yield
    containers = live.docker.containers.list(filters={"label": "ai.clipper.container.label=" + STOPPED})
    # as a reboot or a Docker restart leaves them: stopped (SIGTERM, then SIGKILL after 10 s),
    # none restarted; Redis saves its data on SIGTERM
    with ThreadPoolExecutor(max_workers=len(containers)) as pool:
        list(pool.map(lambda c: c.stop(timeout=10), containers))
    wait_until(lambda: not live.docker.containers.list(
        filters={"label": "ai.clipper.container.label=" + STOPPED}), 60, "the cluster to stop")

    with pytest.raises(KeyError) as raised:
        ClipperConnection(DockerContainerManager(cluster_name=STOPPED)).connect()
    assert exception_line(raised.value) + "\n" == shown("management_port_keyerror.txt")

    result = doctor("--cluster", STOPPED)
    assert result.returncode == 1, result.stdout + result.stderr
    kept = ROOT / "build" / "live-outputs" / "doctor_stopped.txt"  # digits differ from the shown run's
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(result.stdout)
    assert "cluster {} is stopped".format(STOPPED) in result.stdout
    assert "docker-cluster/#cluster-stopped" in result.stdout
    assert same_as_shown(result.stdout, "doctor_stopped.txt")

    # another name: the doctor lists this cluster (and the suite's), and start_clipper() is not advised
    result = doctor("--cluster", "doctor-no-such-cluster")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--cluster {}".format(CLUSTER) in result.stdout
    assert "docker-cluster/#another-cluster-name" in result.stdout
    assert "start_clipper" not in result.stdout
    with pytest.raises(KeyError) as raised:
        ClipperConnection(DockerContainerManager(cluster_name="doctor-no-such-cluster")).connect()
    assert exception_line(raised.value) + "\n" == shown("management_port_keyerror.txt")

    started = shell(DOCKER_CLUSTER_SNIPPETS, "start_stopped_cluster", CLUSTER=STOPPED)
    assert started.returncode == 0, started.stderr
    conn = ClipperConnection(DockerContainerManager(cluster_name=STOPPED))
    conn.connect()
    wait_until(lambda: app in conn.get_all_apps(), 30, "the application back in the started cluster")
    assert conn.get_linked_models(app_name=app) == [model]
    wait_connected(conn, model)
    assert wait_for_prediction(conn, app)["default"] is False
    result = doctor("--cluster", STOPPED, "--app", app, "--no-image-probe")
    assert result.returncode == 0, result.stdout + result.stderr


def non_loopback_address():
    """This machine's own address on its default route (a UDP connect sends nothing), or None."""
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


class DockerForwarder:
    """A TCP endpoint at `address` for the local Docker socket, closed after `lifetime` s at most."""

    def __init__(self, address, socket_path="/var/run/docker.sock", lifetime=240):
        import socket
        import threading
        self.server = socket.create_server((address, 0))
        self.server.settimeout(1)
        self.port = self.server.getsockname()[1]
        self.socket_path, self.deadline = socket_path, __import__("time").monotonic() + lifetime
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import socket
        import threading
        import time
        while not self.stopped.is_set() and time.monotonic() < self.deadline:
            try:
                client, _ = self.server.accept()
            except socket.timeout:
                continue
            engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            engine.connect(self.socket_path)
            for a, b in ((client, engine), (engine, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()
        self.server.close()

    def _pump(self, source, sink):
        import socket
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.stopped.set()


def test_a_remote_engine_through_tcp(clipper_conn):
    from tests.support.strict import skip_or_fail
    address = non_loopback_address()
    if address is None:
        skip_or_fail("this machine has no non-loopback IPv4 address to publish a TCP endpoint on")
    forwarder = DockerForwarder(address)
    try:
        engine = "tcp://{}:{}".format(address, forwarder.port)
        # in a process of its own: DOCKER_HOST set in this one would also point the
        # background scenarios' new Docker clients at the forwarder
        pasted = "engine_address = {!r}\n{}\nprint(clipper_conn.get_all_apps())".format(
            address, section("troubleshoot_snippets/start_up.py", "remote_engine"))
        ran = subprocess.run([sys.executable, "-c", pasted], cwd=ROOT, capture_output=True, text=True,
                             timeout=120, env=dict(os.environ, DOCKER_HOST=engine))
        assert ran.returncode == 0, ran.stdout + ran.stderr
        query_addr, apps = ran.stdout.splitlines()[-2:]
        assert query_addr == clipper_conn.get_query_addr().replace("localhost", address)
        assert apps == str(clipper_conn.get_all_apps())

        result = doctor("--app", "doctor-remote-no-app", "--no-image-probe", DOCKER_HOST=engine)
        assert result.returncode == 1, result.stdout + result.stderr  # only the unknown app
        assert "at {}".format(engine) in result.stdout
        assert "Redis reachable: {}:".format(address) in result.stdout
        assert "http://{}:".format(address) in result.stdout and "answers PONG" in result.stdout
        assert "no application named 'doctor-remote-no-app'" in result.stdout
    finally:
        forwarder.close()
