"""docs/default-predictions.md, has the container connected: `Serving predictions for`
is printed before the container connects, so the guide asks Clipper instead."""
import time

import pytest

from tests.live.clipper_live import (
    container_log, model_containers, query_frontends, run_shell, shown, wait_connected, wait_until,
)
from tests.live.conftest import CLUSTER, NETWORK, SUITE_LABEL
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]

SERVING = "Serving predictions for doubles input type."


def test_connected_replica_and_metadata_line(clipper_conn, model_images, docker_client, capsys):
    model = "ready-model"
    deploy_image(clipper_conn, model, "1", model_images["sum-model", "1"])
    wait_connected(clipper_conn, model)
    capsys.readouterr()
    assert len(snippets.connected_replicas(clipper_conn, model)) == 1
    assert capsys.readouterr().out == shown("connected_replica.txt").replace("sum-model", model)
    (container,) = model_containers(docker_client, model, "1")
    ready = run_shell("ready_line", CONTAINER=container.name)
    assert (ready.returncode, ready.stdout) == (0, shown("ready_line.txt"))
    log = container_log(container.name).splitlines()
    assert log.index(SERVING) < log.index("Sent container metadata!")


def test_serving_line_without_a_connection(clipper_conn, model_images, docker_client, capsys):
    """A replica that cannot reach the query frontend's RPC port still prints the line."""
    model = "unreachable-model"
    (frontend,) = query_frontends(docker_client, CLUSTER)
    container = docker_client.containers.run(
        model_images["sum-model", "1"], detach=True, network=NETWORK,
        name="{}_1-{}".format(model, 1), labels={SUITE_LABEL: model},
        environment={"CLIPPER_MODEL_NAME": model, "CLIPPER_MODEL_VERSION": "1",
                     "CLIPPER_IP": frontend.name, "CLIPPER_PORT": "7001",  # not the RPC port
                     "CLIPPER_INPUT_TYPE": "doubles"})
    try:
        wait_until(lambda: SERVING in container_log(container.name), 60, "the serving line")
        time.sleep(3)  # a replica that can connect has done so well within this
        capsys.readouterr()
        assert snippets.connected_replicas(clipper_conn, model) == []
        assert capsys.readouterr().out == "[]\n"
        ready = run_shell("ready_line", CONTAINER=container.name)
        assert (ready.returncode, ready.stdout) == (1, "")
        container.reload()
        assert container.status == "running"
    finally:
        container.remove(force=True)
