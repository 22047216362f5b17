"""docs/default-predictions.md, has the container connected: `Serving predictions for`
is printed before the container connects, so the guide asks Clipper instead."""
import time

import pytest

from tests.live.background import background
from tests.live.clipper_live import (
    container_log, model_containers, query_frontends, run_shell, shown, wait_for_log_line,
)
from tests.live.conftest import CLUSTER, NETWORK, SUITE_LABEL
from troubleshoot_snippets import default_predictions as snippets

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]

SERVING = "Serving predictions for doubles input type."


@background
def test_connected_replica_and_metadata_line(live):
    clipper_conn, model = live.conn, live.images.shared_replica()  # deployed and connected
    live.printed()
    assert len(snippets.connected_replicas(clipper_conn, model)) == 1
    assert live.printed() == shown("connected_replica.txt").replace("sum-model", model)
    (container,) = model_containers(live.docker, model, "1")
    ready = run_shell("ready_line", CONTAINER=container.name)
    assert (ready.returncode, ready.stdout) == (0, shown("ready_line.txt"))
    log = container_log(container.name).splitlines()
    assert log.index(SERVING) < log.index("Sent container metadata!")


@background
def test_serving_line_without_a_connection(live):
    """A replica that cannot reach the query frontend's RPC port still prints the line."""
    clipper_conn, model = live.conn, "unreachable-model"
    (frontend,) = query_frontends(live.docker, CLUSTER)
    container = live.docker.containers.run(
        live.images["sum-model", "1"], detach=True, network=NETWORK,
        name="{}_1-{}".format(model, 1), labels={SUITE_LABEL: model},
        environment={"CLIPPER_MODEL_NAME": model, "CLIPPER_MODEL_VERSION": "1",
                     "CLIPPER_IP": frontend.name, "CLIPPER_PORT": "7001",  # not the RPC port
                     "CLIPPER_INPUT_TYPE": "doubles"})
    try:
        wait_for_log_line(container, SERVING, 60, "the serving line")
        time.sleep(3)  # a replica that can connect has done so well within this
        live.printed()
        assert snippets.connected_replicas(clipper_conn, model) == []
        assert live.printed() == "[]\n"
        ready = run_shell("ready_line", CONTAINER=container.name)
        assert (ready.returncode, ready.stdout) == (1, "")
        container.reload()
        assert container.status == "running"
    finally:
        container.remove(force=True, v=True)
