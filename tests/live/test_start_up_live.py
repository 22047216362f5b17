"""docs/start-up.md on real second clusters (their own cluster names, removed after):
start_clipper retrying behind an HTTP proxy, a frontend image that does not exist."""
import os
import re
import subprocess
import sys

import docker
import pytest

from tests.live import clipper_live
from tests.live.background import background
from tests.live.clipper_live import once_more_if_port_taken, shown, stderr_until
from tests.live.conftest import SUITE_LABEL, remove_second_cluster, second_cluster_connection
from tests.support.snippets import ROOT, section
from troubleshoot_snippets import docker_cluster

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]
SHELL = "troubleshoot_snippets/start_up.sh"
DEAD_PROXY = "http://127.0.0.1:9"

# start_clipper on a second cluster, in a child we can stop while it retries.
START_IN_CHILD = """\
import sys
from clipper_admin import ClipperConnection, DockerContainerManager
ClipperConnection(DockerContainerManager(
    cluster_name=sys.argv[1], extra_container_kwargs={"labels": {%r: sys.argv[1]}})).start_clipper()
""" % SUITE_LABEL
PROXY_CHECK = "from troubleshoot_snippets.start_up import proxies_for_query_frontend as f\nf()"


@pytest.fixture
def second_cluster(docker_client, clipper_images):
    """Names second clusters; removes every container they started, also on failure."""
    names = []
    yield names.append
    for name in names:
        remove_second_cluster(docker_client, name)


def child_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(extra)
    return env


def normalize_log(line):
    """A clipper_admin log line without its time, cluster name and port."""
    line = re.sub(r"^\d\d-\d\d-\d\d:\d\d:\d\d:\d\d", "YY-MM-DD:hh:mm:ss", line)
    line = re.sub(r"\] \[[^\]]+\] ", "] [CLUSTER] ", line)
    return re.sub(r"localhost:\d+", "localhost:PORT", line)


@background
def test_start_clipper_retries_behind_an_http_proxy(live):
    """Two second clusters (their own names), removed at the end; about 15 s, mostly two starts."""
    try:
        _retries_then_starts_with_no_proxy(live.docker)
    finally:
        for name in ("startup-proxy", "startup-noproxy"):
            remove_second_cluster(live.docker, name)


def _retries_then_starts_with_no_proxy(client):
    lines = once_more_if_port_taken(
        lambda: stderr_until(START_IN_CHILD, ["startup-proxy"], "Clipper still initializing", 2,
                             "start_clipper retries", env=child_env(HTTP_PROXY=DEAD_PROXY)),
        lambda: remove_second_cluster(client, "startup-proxy"), "startup-proxy")
    at = next(i for i, l in enumerate(lines) if "Clipper still initializing" in l)
    want = [normalize_log(l) for l in shown("still_initializing.log").splitlines()]
    assert [normalize_log(l.rstrip("\n")) for l in lines[at:at + 2]] == want

    check = subprocess.run([sys.executable, "-c", PROXY_CHECK], cwd=ROOT, capture_output=True,
                           text=True, timeout=60, env=child_env(HTTP_PROXY=DEAD_PROXY))
    assert check.stdout == shown("proxy_check.txt"), check.stderr

    # fix: NO_PROXY, then a fresh start (a new cluster name: the half-started one is still there)
    # set -e: a start that failed (a port taken, see once_more_if_port_taken) must fail the script
    fixed = "set -e\n" + section(SHELL, "no_proxy") + '"{}" -c "$START" startup-noproxy\n"{}" -c "$CHECK"\n'.format(
        sys.executable, sys.executable)

    def start_fixed():
        result = subprocess.run(["bash", "-c", fixed], cwd=ROOT, capture_output=True, text=True,
                                timeout=120, env=child_env(HTTP_PROXY=DEAD_PROXY, START=START_IN_CHILD,
                                                           CHECK=PROXY_CHECK))
        assert result.returncode == 0, result.stderr
        return result
    result = once_more_if_port_taken(start_fixed, lambda: remove_second_cluster(client, "startup-noproxy"),
                                     "startup-noproxy")
    assert "Clipper is running" in result.stderr
    assert "Clipper still initializing" not in result.stderr
    assert result.stdout == "{}\n"


def test_frontend_image_missing(second_cluster, docker_client):
    second_cluster("startup-image")
    conn = second_cluster_connection("startup-image")

    def start():
        with pytest.raises(docker.errors.DockerException) as error:
            conn.start_clipper(query_frontend_image="clipper/query_frontend:no-such-tag")
        if clipper_live.PORT_TAKEN in str(error.value):
            raise error.value
        return error
    error = once_more_if_port_taken(start, lambda: remove_second_cluster(docker_client, "startup-image"),
                                    "startup-image")
    # docker-py pulls after the 404; what the pull says depends on the network
    not_found = error.value
    while not_found is not None and not isinstance(not_found, docker.errors.ImageNotFound):
        not_found = not_found.__context__
    assert isinstance(not_found, docker.errors.ImageNotFound), repr(error.value)
    line = "docker.errors.ImageNotFound: {}\n".format(not_found)
    assert re.sub(r"/v1\.\d+/", "/v1.41/", re.sub(r"query_frontend-\d+", "query_frontend-NNNNN", line)) \
        == shown("image_not_found.txt")

    # left behind: the containers started before the query frontend
    left = {c.name for c in docker_client.containers.list(
        filters={"label": "ai.clipper.container.label=startup-image"})}
    assert {name.split("-")[0] for name in left} == {"redis", "mgmt_frontend"}
    ps = clipper_live.run_shell("ps_all").stdout.splitlines()
    assert all(any(line.endswith(" " + name) for line in ps) for name in left), ps

    images = clipper_live.run_shell("cluster_images", SHELL, CLIPPER_REGISTRY="")
    assert images.returncode == 0, images.stderr
    assert images.stdout == shown("cluster_images.txt")

    docker_cluster.start_over(conn)
    assert docker_client.containers.list(
        all=True, filters={"label": "ai.clipper.container.label=startup-image"}) == []
