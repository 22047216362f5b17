"""docs/default-predictions.md, deploying the fixed model: deploying a version that
exists fails with 400 after its container has started; a new version works; a replica
that died with a good image comes back with set_num_replicas."""
import re

import pytest
from clipper_admin import ClipperException

from tests.live.background import background
from tests.live.clipper_live import (
    NewLogLines, connected_models, deploy_dying_image, model_containers, query_frontends, register_app, shown,
    wait_for_prediction, wait_for_prediction_past_758, wait_until,
)
from tests.live.conftest import SUITE_LABEL
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import deploy_image, deploy_new_version

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

APP, MODEL = "redeploy-app", "redeploy-model"


def running(docker_client, version):
    return [c for c in model_containers(docker_client, MODEL, version) if c.status == "running"]


# its own cluster: in some runs the query frontend took no new containers after this
@background(own_cluster="versions-check")
def test_fixed_model_needs_a_new_version(live):
    clipper_conn, model_images, docker_client = live.conn, live.images, live.docker
    broken, fixed = model_images["crash-model", "1"], model_images["crash-model", "2"]
    register_app(clipper_conn, APP)
    deploy_dying_image(clipper_conn, MODEL, "1", broken, SUITE_LABEL)
    yield  # before this, with the machine idle: the container dies at start
    snippets.link_model(clipper_conn, APP, MODEL)
    wait_until(lambda: clipper_conn.cm.get_num_replicas(name=MODEL, version="1") == 0, 60,
               "the crashing container to exit")

    # the fixed image under the same version: a container starts, then the 400
    with pytest.raises(ClipperException) as error:
        deploy_image(clipper_conn, MODEL, "1", fixed)
    assert str(error.value) + "\n" == shown("model_version_exists.txt")
    started = running(docker_client, "1")
    assert [c.image.tags for c in started] == [[fixed]]
    assert clipper_conn.get_model_info(name=MODEL, version="1")["container_name"] == broken

    # fix: a version the model does not have
    live.printed()
    deploy_new_version(clipper_conn, MODEL, fixed)
    assert live.printed().startswith("[")
    assert clipper_conn.get_current_model_version(name=MODEL) == "2"
    assert wait_for_prediction(clipper_conn, APP)["default"] is False

    # a replica of a good image that died (here: killed) comes back with set_num_replicas
    for c in running(docker_client, "2"):
        c.kill()
    wait_until(lambda: clipper_conn.cm.get_num_replicas(name=MODEL, version="2") == 0, 90,
               "the killed replica to be gone")
    # wait until Clipper has dropped the dead replica (about 30 s): a new one started
    # before that got no queries. Its query frontend's log says so; answers may not:
    # if the drop deadlocked it (#758), a query can hang.
    (frontend,) = query_frontends(docker_client, clipper_conn.cm.cluster_name)
    dropped = re.compile(r"Removing container \d+ for model {}:2\b".format(MODEL))
    frontend_log = NewLogLines(frontend)
    wait_until(lambda: any(dropped.search(line) for line in frontend_log.read()), 90,
               "Clipper to drop the killed replica")
    snippets.restart_replica(clipper_conn, MODEL)
    assert len(running(docker_client, "2")) == 1
    # dropping the replica may have deadlocked the query frontend (ucbrise/clipper#758, a race):
    # then the new replica never connects until the query frontend restarts, as the guide says
    body, _ = wait_for_prediction_past_758(clipper_conn, docker_client, APP, MODEL, "2")
    assert body["default"] is False
    assert MODEL in connected_models(clipper_conn)
