"""Entries written for rows of the tracker inventory, reproduced without a
cluster: connect() to a cluster that is not running (docs/docker-cluster.md),
a management frontend that cannot reach Redis (docs/start-up.md)."""
import re
import sys
import time

import pytest

from tests.live import clipper_live
from tests.live.clipper_live import shown
from tests.live.conftest import CLUSTER_IMAGES, SUITE_LABEL
from tests.support import legacy_python
from tests.support.snippets import section
from tests.support.strict import skip_or_fail

pytestmark = [pytest.mark.live, pytest.mark.timeout(180)]
NAMED = "sum-cluster"  # the cluster_name in the connect_cluster_name snippet
MGMT_IMAGE = next(i for i in CLUSTER_IMAGES if "/management_frontend:" in i)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CLOCK = re.compile(r"^\[\d\d:\d\d:\d\d\.\d{3}\]", re.M)


def test_connect_to_a_cluster_that_is_not_running(docker_client):
    code = section("troubleshoot_snippets/docker_cluster.py", "connect_cluster_name")
    assert 'cluster_name="{}"'.format(NAMED) in code
    running = docker_client.containers.list(filters={"label": "ai.clipper.container.label=" + NAMED})
    if running:
        skip_or_fail("containers of a cluster named {} run here: {}".format(
            NAMED, ", ".join(c.name for c in running)))
    result = legacy_python.run_python(sys.executable, code)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] + "\n" == shown("connect_keyerror.txt")
    listed = clipper_live.run_shell("ps_all", "troubleshoot_snippets/inspect_containers.sh")
    assert listed.returncode == 0 and listed.stdout.startswith("CONTAINER ID")


def test_management_frontend_without_redis(docker_client, clipper_images):
    # A Redis address where nothing listens: the container's own localhost.
    probe = docker_client.containers.run(
        MGMT_IMAGE, "--redis_ip=127.0.0.1 --redis_port=6379", detach=True,
        labels={"ai.clipper.management_frontend.label": "", SUITE_LABEL: "statedb-probe"})
    try:
        deadline = time.time() + 60
        while b"StateDB failed to connect to redis" not in probe.logs() and time.time() < deadline:
            time.sleep(1)
        printed = clipper_live.run_shell("statedb_log", "troubleshoot_snippets/start_up.sh")
        assert printed.returncode == 0
        blocks = ANSI.sub("", printed.stdout).split("== ")
        ours = [b for b in blocks if b and probe.id.startswith(b.split("\n", 1)[0].strip())]
        assert len(ours) == 1, printed.stdout
        lines = ours[0].split("\n", 1)[1]
        first_two = "\n".join(lines.splitlines()[:2]) + "\n"
        assert CLOCK.sub("[T]", first_two) == CLOCK.sub("[T]", shown("statedb_log.txt"))
    finally:
        probe.remove(force=True, v=True)
