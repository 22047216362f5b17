"""Each entry of docs/default-predictions.md, reproduced on a real cluster:
reproduce, observe the quoted symptom, diagnose with the shown snippet, fix."""
import pytest

from tests.live.clipper_live import (
    connected_models, container_log, fresh_input, model_containers, post, register_app, run_shell,
    same_response_line, shown, shows_log, wait_connected, wait_for_prediction, wait_until,
)
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

NO_MODELS = "No connected models found for query"
SLO_MISSED = "Failed to retrieve a prediction response within the specified latency SLO"


def printed(capsys):
    return capsys.readouterr().out


def test_connect_snippet_reaches_the_running_cluster(clipper_conn, capsys):
    conn = snippets.connect()
    assert conn.get_query_addr() == clipper_conn.get_query_addr()


def test_model_not_linked(clipper_conn, model_images, capsys):
    app, model = "unlinked-app", "sum-model"
    register_app(clipper_conn, app)
    deploy_image(clipper_conn, model, "1", model_images[model, "1"])
    wait_connected(clipper_conn, model)

    # symptom, printed by the shown query snippet
    capsys.readouterr()
    response = snippets.query(clipper_conn, app, [1.1, 2.2])
    assert response.json()["default_explanation"] == NO_MODELS
    assert same_response_line(printed(capsys), "no_connected_models.txt")

    # diagnosis
    assert snippets.linked_models(clipper_conn, app) == []
    assert printed(capsys) == shown("linked_models_empty.txt")

    # fix
    snippets.link_model(clipper_conn, app, model)
    assert clipper_conn.get_linked_models(app_name=app) == [model]
    wait_until(lambda: post(clipper_conn, app, [1.1, 2.2])[1]["default"] is False, 30,
               "a real prediction after linking")
    capsys.readouterr()
    snippets.query(clipper_conn, app, [1.1, 2.2])
    assert same_response_line(printed(capsys), "real_prediction.txt")


def test_model_container_crashes_at_start(clipper_conn, model_images, docker_client, capsys,
                                          tmp_path, monkeypatch):
    app, model = "crash-app", "crash-model"
    register_app(clipper_conn, app)
    deploy_image(clipper_conn, model, "1", model_images[model, "1"])  # returns: it started
    snippets.link_model(clipper_conn, app, model)

    wait_until(lambda: clipper_conn.cm.get_num_replicas(name=model, version="1") == 0, 60,
               "the crashing container to exit")
    status, body = post(clipper_conn, app, fresh_input())
    assert (status, body["default"], body["default_explanation"]) == (200, True, NO_MODELS)

    capsys.readouterr()
    assert snippets.num_replicas(clipper_conn, model, "1") == 0
    assert printed(capsys) == shown("num_replicas_zero.txt")
    # the crashed model stays linked: step 1 would not find it
    assert snippets.linked_models(clipper_conn, app) == [model]

    # get_clipper_logs collects only running containers: the crashed one is missing
    (crashed,) = model_containers(docker_client, model, "1")
    monkeypatch.chdir(tmp_path)
    log_files = snippets.clipper_logs(clipper_conn)
    assert log_files and all((tmp_path / "clipper_logs").samefile(p.rsplit("/", 1)[0]) for p in log_files)
    assert all("container_" in p and p.endswith(".log") for p in log_files)
    assert not any(crashed.short_id in p for p in log_files)

    # docker ps -a shows it, exited; docker logs shows why
    ps = run_shell("ps_all")
    assert ps.returncode == 0, ps.stderr
    row = next(line for line in ps.stdout.splitlines() if crashed.name in line)
    assert "Exited (1)" in row
    ps_models = run_shell("ps_models")
    assert ps_models.stdout.splitlines()[0].split() == ["NAMES", "IMAGE", "STATUS"]
    assert any(crashed.name in line and "Exited (1)" in line for line in ps_models.stdout.splitlines())
    assert shows_log(crashed.name, "import_error.log"), container_log(crashed.name)

    # fix: ship the module, deploy a new version with the shown snippet
    deploy_image(clipper_conn, model, "2", model_images[model, "2"])
    body = wait_for_prediction(clipper_conn, app)
    assert body["output"] != -1.0


def test_model_still_initializing(clipper_conn, model_images, docker_client):
    app, model = "slow-start-app", "slow-start-model"
    register_app(clipper_conn, app)
    deploy_image(clipper_conn, model, "1", model_images[model, "1"])
    snippets.link_model(clipper_conn, app, model)
    (container,) = model_containers(docker_client, model, "1")

    # running, linked, but still loading: default answer, no ready line yet
    assert clipper_conn.cm.get_num_replicas(name=model, version="1") == 1
    status, body = post(clipper_conn, app, fresh_input())
    assert body["default_explanation"] == NO_MODELS
    ready = run_shell("ready_line", CONTAINER=container.name)
    assert (ready.returncode, ready.stdout) == (1, "")  # grep found nothing
    assert model not in connected_models(clipper_conn)

    # the fix is to wait: the ready line appears, then real answers
    def ready_line():
        result = run_shell("ready_line", CONTAINER=container.name)
        return result.stdout if result.returncode == 0 else None
    assert wait_until(ready_line, 90, "the ready line") == shown("ready_line.txt")
    assert wait_for_prediction(clipper_conn, app, timeout=30)["default"] is False


def test_slo_too_low(clipper_conn, model_images, capsys):
    app, model = "slow-app", "slow-model"
    register_app(clipper_conn, app, slo_micros=20000)  # 20 ms; the model takes 500 ms
    deploy_image(clipper_conn, model, "1", model_images[model, "1"])
    snippets.link_model(clipper_conn, app, model)
    wait_connected(clipper_conn, model)

    capsys.readouterr()
    x = fresh_input()
    response = snippets.query(clipper_conn, app, x)
    assert response.json()["default_explanation"] == SLO_MISSED
    assert same_response_line(printed(capsys), "slo_default.txt")

    key = "model:{}:1:prediction_latency".format(model)

    def latency_recorded():
        slo, latencies = snippets.latency_against_slo(clipper_conn, app, model, "1")
        return (slo, latencies) if latencies.get(key, 0) > 0 else None
    slo, latencies = wait_until(latency_recorded, 30, "the model's latency in inspect_instance()")
    assert slo == 20000
    assert latencies[key] > 400000 > slo  # microseconds
    assert key in printed(capsys)
    # the guide's note: the late answer was cached, so the same input now gets it in time
    assert post(clipper_conn, app, x)[1]["default"] is False

    new_app = app + "-v2"
    snippets.app_with_higher_slo(clipper_conn, app, model, new_app)
    assert clipper_conn.get_app_info(name=new_app)["latency_slo_micros"] == 2000000
    body = wait_for_prediction(clipper_conn, new_app, timeout=30)
    assert body["default"] is False


def test_wrong_interface_crashes_during_prediction(clipper_conn, model_images, docker_client):
    app, model = "scalar-app", "scalar-model"
    register_app(clipper_conn, app, slo_micros=1000000)
    deploy_image(clipper_conn, model, "1", model_images[model, "1"])
    snippets.link_model(clipper_conn, app, model)
    wait_connected(clipper_conn, model)

    status, body = post(clipper_conn, app, fresh_input())
    assert (status, body["default"], body["default_explanation"]) == (200, True, SLO_MISSED)
    wait_until(lambda: clipper_conn.cm.get_num_replicas(name=model, version="1") == 0, 30,
               "the container to die")
    (crashed,) = model_containers(docker_client, model, "1")
    assert shows_log(crashed.name, "wrong_interface.log"), container_log(crashed.name)

    # about 30 s on, Clipper drops the silent container and the explanation changes
    wait_until(lambda: post(clipper_conn, app, fresh_input())[1].get("default_explanation") == NO_MODELS,
               120, "Clipper to drop the dead container")

    deploy_image(clipper_conn, model, "2", model_images[model, "2"])
    body = wait_for_prediction(clipper_conn, app)
    assert body["output"] != -1.0
