"""docs/model-containers.md on a real cluster: a container dead on start, a missing package."""
import io
import re

import docker
import pytest

from tests.live.background import background
from tests.live.clipper_live import (
    container_log, deploy_dying_image, deploy_until_it_retries, model_containers, register_app, run_shell, shown,
    shows_log,
    wait_for_prediction, wait_until,
)
from tests.live.conftest import MODEL_BASE_IMAGE, MODELS, SUITE_LABEL
from tests.live.doctor_check import doctor_anchors, doctor_unregistered
from tests.support.strict import skip_or_fail
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import build_function_image, deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

DEAD_DOCKERFILE = """\
FROM {}
ENTRYPOINT ["sh", "-c", "echo 'cannot load /model/weights.bin' >&2; exit 1"]
""".format(MODEL_BASE_IMAGE)

def log_messages(lines):
    """clipper_admin's log lines without time, level and source; replica numbers normalized."""
    out = []
    for line in lines:
        message = re.sub(r"^\S+ +\w+ +\[[^\]]+\] (\[[^\]]+\] )?", "", line.rstrip("\n"))
        out.append(re.sub(r"(_\d+)-\d+ container", r"\1-N container", message))
    return out


@pytest.mark.before_background
def test_container_dead_on_start_makes_deploy_wait(clipper_conn, docker_client, model_images):
    image, _ = docker_client.images.build(
        fileobj=io.BytesIO(DEAD_DOCKERFILE.encode()), tag="default-cluster-dead-model:1",
        rm=True, labels={SUITE_LABEL: "dead-model"})

    model, lines = deploy_until_it_retries("dead-model", image.tags[0], SUITE_LABEL, times=3)

    messages = log_messages(line.replace(model, "dead-model") for line in lines)
    want = log_messages(shown("deploy_not_running.log").splitlines())
    assert want[0] in messages
    assert messages.count(want[1]) >= 3
    assert model not in [m["model_name"] for m in clipper_conn.get_all_models(verbose=True)]
    assert doctor_unregistered(model) == ["container-not-running-yet-or-broken"]

    (dead,) = model_containers(docker_client, model, "1")
    ps_models = run_shell("ps_models")
    assert any(dead.name in l and "Exited (1)" in l for l in ps_models.stdout.splitlines()), ps_models.stdout
    assert container_log(dead.name) == "cannot load /model/weights.bin\n"

    # fix: a working image, deployed with the same snippet
    register_app(clipper_conn, "dead-app")
    deploy_image(clipper_conn, model, "1", model_images["sum-model", "1"])
    snippets.link_model(clipper_conn, "dead-app", model)
    assert wait_for_prediction(clipper_conn, "dead-app")["default"] is False


@background
def test_missing_package_fixed_with_pkgs_to_install(live):
    clipper_conn, docker_client = live.conn, live.docker
    app, model = "pkg-app", "pkg-model"
    register_app(clipper_conn, app)
    deploy_dying_image(clipper_conn, model, "1", live.images[model, "1"], SUITE_LABEL)
    yield  # before this, with the machine idle: the container dies at start
    snippets.link_model(clipper_conn, app, model)
    wait_until(lambda: clipper_conn.cm.get_num_replicas(name=model, version="1") == 0, 60,
               "the container without joblib to exit")
    (crashed,) = model_containers(docker_client, model, "1")
    assert shows_log(crashed.name, "import_error.log"), container_log(crashed.name)
    assert doctor_anchors(app) == ["model-container-not-running", "missing-packages"]

    try:
        image = build_function_image(clipper_conn, model, "2", [str(MODELS / "needs_joblib.py")],
                                     "needs_joblib.predict", pkgs_to_install=["joblib"])
    except docker.errors.BuildError as e:
        log = "".join(chunk.get("stream", "") + chunk.get("error", "") for chunk in e.build_log)
        if re.search(r"Could not find a version|NewConnectionError|Temporary failure in name "
                     r"resolution|Network is unreachable|Max retries exceeded", log):
            skip_or_fail("pkgs_to_install needs PyPI from inside `docker build`, which this "
                        "engine cannot reach: " + log.strip().splitlines()[-1][:300])
        raise
    deploy_image(clipper_conn, model, "2", image)
    assert wait_for_prediction(clipper_conn, app)["default"] is False
