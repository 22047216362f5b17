"""docs/start-up.md#prometheus-config-unseen on a real engine: clipper_admin run in a
container that shares only the Docker socket (ucbrise/clipper#701) writes the Prometheus
config into its own /tmp, which the engine cannot see; start_clipper() fails when Docker
starts Prometheus with that path, and the engine has made a directory there (#705)."""
import re
import socket
import uuid

import pytest

from tests.live import clipper_live
from tests.live.clipper_live import shown
from tests.live.conftest import MODEL_BASE_IMAGE, SUITE_LABEL, remove_second_cluster
from troubleshoot_snippets import symptoms

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]
SAVED = re.compile(r"Metric Configuration Saved at (/\S+\.yml)")
# clipper_admin 0.4.1 and docker-py come with the closure container image
START = """
from clipper_admin import ClipperConnection, DockerContainerManager
ClipperConnection(DockerContainerManager(
    cluster_name={name!r}, clipper_query_port={0}, clipper_management_port={1},
    clipper_rpc_port={2}, redis_port={3}, prometheus_port={4},
    extra_container_kwargs={{"labels": {{{label!r}: {name!r}}}}})).start_clipper()
"""


def free_ports(n):
    found = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        found.append(s)
    ports = [s.getsockname()[1] for s in found]
    for s in found:
        s.close()
    return ports


def normalized(text, config):
    text = text.replace(config, "/tmp/tmpXXXXXXXX.yml").replace(config.rsplit("/", 1)[1], "tmpXXXXXXXX.yml")
    text = re.sub(r"containers/[0-9a-f]{64}/start", "containers/<id>/start", text)
    return re.sub(r"\d+ \w{3} +\d+ \d\d:\d\d", "<size and date>", text)  # ls -ld's, as they come


SOCKET = {"/var/run/docker.sock": {"bind": "/var/run/docker.sock", "mode": "rw"}}


def start_in_a_container(docker_client, name, volumes):
    """start_clipper() in a container of the closure image with `volumes`; the container.
    Host networking: the ports clipper_admin checks are the host's."""
    return docker_client.containers.run(
        MODEL_BASE_IMAGE, ["-c", START.format(*free_ports(5), name=name, label=SUITE_LABEL)],
        entrypoint="python", detach=True, network_mode="host", volumes=volumes,
        labels={SUITE_LABEL: name})


def test_start_clipper_in_a_container_cannot_bind_its_prometheus_config(docker_client, clipper_images):
    name = "promcfg-" + uuid.uuid4().hex[:8]
    runner, config = None, None
    try:
        runner = start_in_a_container(docker_client, name, SOCKET)  # /tmp stays the container's own
        assert runner.wait(timeout=240)["StatusCode"] == 1
        log = runner.logs().decode()
        config = SAVED.search(log).group(1)
        last = log.rstrip("\n").splitlines()[-1]
        assert [s.anchor for s in symptoms.matching(last)][:1] == ["prometheus-config-unseen"], last
        assert normalized(last, config) + "\n" == shown("prometheus_config_unseen.txt")
        printed = clipper_live.run_shell("engine_sees_config", "troubleshoot_snippets/start_up.sh",
                                         CONFIG=config)
        assert printed.returncode == 0, printed.stderr
        assert printed.stdout.startswith("d"), printed.stdout  # a directory, made by the engine
        assert normalized(printed.stdout, config) == normalized(shown("prometheus_config_seen_as_dir.txt"), config), printed.stdout
    finally:
        if runner is not None:
            runner.remove(force=True, v=True)
        remove_second_cluster(docker_client, name)
        if config:  # the directory the engine made in the host's /tmp
            cleaner = docker_client.containers.run(
                "redis:alpine", ["rm", "-rf", "/engine/" + config.rsplit("/", 1)[1]], detach=True,
                volumes={config.rsplit("/", 1)[0]: {"bind": "/engine", "mode": "rw"}})
            try:
                cleaner.wait(timeout=60)
            finally:  # with its anonymous /data volume (run(remove=True) leaves it)
                cleaner.remove(force=True, v=True)


def test_the_hosts_tmp_mounted_at_the_same_path_fixes_it(docker_client, clipper_images):
    """The entry's fix: `-v /tmp:/tmp` beside the socket; start_clipper() then returns."""
    name = "promcfg-" + uuid.uuid4().hex[:8]
    runner = None
    try:
        runner = start_in_a_container(docker_client, name, dict(SOCKET, **{"/tmp": {"bind": "/tmp", "mode": "rw"}}))
        status = runner.wait(timeout=240)["StatusCode"]
        log = runner.logs().decode()
        assert status == 0, log[-3000:]
        assert SAVED.search(log), log[-3000:]
        running = {c.name.split("-")[0] for c in docker_client.containers.list(
            filters={"label": "ai.clipper.container.label=" + name})}
        assert {"redis", "mgmt_frontend", "query_frontend", "metric_frontend"} <= running, running
    finally:
        if runner is not None:
            runner.remove(force=True, v=True)
        remove_second_cluster(docker_client, name)
