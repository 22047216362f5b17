"""clipper-doctor on a real cluster: each broken scenario gets its entry's anchor,
a healthy app gets OK, --collect bundles an exited container's log, and the
doctor page's shown reports come from here.

Scenarios are deployed together and waited for once (names start with `doctor-`).
"""
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

import pytest

from tests.live.clipper_live import (
    post, register_app, shown, wait_connected, wait_for_prediction, wait_until, fresh_input,
)
from tests.live.conftest import CLUSTER, MODEL_BASE_IMAGE, SUITE_LABEL
from tests.live.doctor_check import doctor_anchor, doctor_anchors
from troubleshoot_snippets.doctor.run import Run
from tests.support.snippets import ROOT, section
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

PICKLES = pathlib.Path(__file__).parent / "models" / "pickles"
SECRET = "doctor-secret-" + "4711" * 4  # must not end up in the bundle


def doctor(*args, **env):
    return subprocess.run([sys.executable, "-m", "troubleshoot_snippets.doctor", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=dict(os.environ, **env))


def closure_image(clipper_conn, model, client):
    """A model image holding a closure pickled by cloudpickle `client` on Python 3.6."""
    model_dir = pathlib.Path(tempfile.mkdtemp(), "model")
    model_dir.mkdir()
    shutil.copy(PICKLES / "closure-cloudpickle-{}.pkl".format(client), model_dir / "func.pkl")
    try:
        return clipper_conn.build_model(name=model, version="1", model_data_path=str(model_dir),
                                        base_image=MODEL_BASE_IMAGE)
    finally:
        shutil.rmtree(model_dir.parent)


def deploy_app(clipper_conn, app, model, image, slo_micros=100000):
    register_app(clipper_conn, app, slo_micros=slo_micros)
    deploy_image(clipper_conn, model, "1", image)
    snippets.link_model(clipper_conn, app, model)


# app -> (model, image key or cloudpickle client, slo)
BROKEN = {
    "doctor-crash-app": ("doctor-crash-model", ("crash-model", "1"), 100000),
    "doctor-pkg-app": ("doctor-pkg-model", ("pkg-model", "1"), 100000),
    "doctor-cp061-app": ("doctor-cp061-model", "0.6.1", 100000),
    "doctor-cp221-app": ("doctor-cp221-model", "2.2.1", 100000),
    "doctor-slow-app": ("doctor-slow-model", ("slow-model", "1"), 20000),
    "doctor-scalar-app": ("doctor-scalar-model", ("scalar-model", "1"), 1000000),
    "doctor-ok-app": ("doctor-ok-model", ("sum-model", "1"), 100000),
}
CRASHING = ["doctor-crash-app", "doctor-pkg-app", "doctor-cp061-app", "doctor-cp221-app",
            "doctor-scalar-app"]


@pytest.fixture(scope="module")
def scenarios(clipper_conn, model_images):
    """Every scenario deployed at once, then each brought to its broken state."""
    for app, (model, source, slo) in BROKEN.items():
        image = model_images[source] if isinstance(source, tuple) else \
            closure_image(clipper_conn, model, source)
        deploy_app(clipper_conn, app, model, image, slo)
    for app in ("doctor-slow-app", "doctor-scalar-app", "doctor-ok-app"):
        wait_connected(clipper_conn, BROKEN[app][0])
    # SLO: one slow query; crash during prediction: the first query kills the container
    assert post(clipper_conn, "doctor-slow-app", fresh_input())[1]["default"] is True
    post(clipper_conn, "doctor-scalar-app", fresh_input())
    wait_for_prediction(clipper_conn, "doctor-ok-app")
    for app in CRASHING:
        model = BROKEN[app][0]
        wait_until(lambda: clipper_conn.cm.get_num_replicas(name=model, version="1") == 0, 60,
                   "{} to exit".format(model))
    key = "model:doctor-slow-model:1:prediction_latency"
    wait_until(lambda: snippets.latency_against_slo(clipper_conn, "doctor-slow-app", "doctor-slow-model",
                                                    "1")[1].get(key), 30, "the slow model's latency")
    return BROKEN


def test_healthy_app_is_ok(scenarios):
    assert doctor_anchor("doctor-ok-app") == "OK"


def test_not_linked(clipper_conn):
    register_app(clipper_conn, "doctor-unlinked-app")
    assert doctor_anchor("doctor-unlinked-app") == "model-not-linked"


def test_still_initializing(clipper_conn, model_images):
    deploy_app(clipper_conn, "doctor-init-app", "doctor-init-model", model_images["slow-start-model", "1"])
    assert doctor_anchors("doctor-init-app") == ["model-initializing"]


@pytest.mark.parametrize("app, anchors", [
    ("doctor-crash-app", ["model-container-not-running", "missing-packages"]),
    ("doctor-pkg-app", ["model-container-not-running", "missing-packages"]),
    ("doctor-cp061-app", ["model-container-not-running", "cloudpickle-mismatch"]),
    ("doctor-cp221-app", ["model-container-not-running", "cloudpickle-make-function"]),
    ("doctor-scalar-app", ["model-container-not-running", "numpy-float64-not-iterable"]),
    ("doctor-slow-app", ["slo-too-low"]),
])
def test_broken_app_gets_its_entry(scenarios, app, anchors):
    assert doctor_anchors(app) == anchors
    assert doctor_anchor(app) == anchors[-1]


def normalized(text):
    """A report without what changes between runs: numbers (container names, versions, latencies)."""
    return re.sub(r"\d+", "N", text)


def without_port_note(report):
    """The report without the query-address note: whether 1337 was free differs between runs."""
    return re.sub(r"\[--\] query address: .*\n(     .*\n)*", "[ok] query address: localhost:1337\n", report)


def same_as_shown(printed, output_file):
    """`printed` is the shown output but for numbers; if not, it is kept in build/ to look at."""
    if normalized(without_port_note(printed)) == normalized(shown(output_file)):
        return True
    actual = ROOT / "build" / "actual" / output_file
    actual.parent.mkdir(parents=True, exist_ok=True)
    actual.write_text(printed)
    print("differs from troubleshoot_snippets/outputs/{}; this run printed {}".format(output_file, actual))
    return False


DEAD_DOCKERFILE = """\
FROM {}
ENTRYPOINT ["sh", "-c", "echo 'no weights here' >&2; exit 1"]
""".format(MODEL_BASE_IMAGE)
DEPLOY_IN_CHILD = """\
import sys
from clipper_admin import ClipperConnection, DockerContainerManager
from troubleshoot_snippets.model_image import deploy_image
clipper_conn = ClipperConnection(DockerContainerManager(
    extra_container_kwargs={"labels": {%r: "doctor-deploy-child"}}))
clipper_conn.connect()
deploy_image(clipper_conn, "doctor-dead-model", sys.argv[2], sys.argv[1])
""" % SUITE_LABEL


def deploy_waits(image, version):
    """Deploy in a child; True once it logs that it waits on the dead container, False if it
    returned (Docker saw the container running before it exited)."""
    child = subprocess.Popen([sys.executable, "-c", DEPLOY_IN_CHILD, image, version], cwd=ROOT,
                             stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 60
        for line in child.stderr:
            if "not running yet or broken" in line:
                return True
            assert time.monotonic() < deadline, "no retry warning after 60 s"
        return False
    finally:
        child.kill()
        child.wait(timeout=30)


def test_deploy_waiting_on_a_dead_container(clipper_conn, docker_client):
    image, _ = docker_client.images.build(fileobj=io.BytesIO(DEAD_DOCKERFILE.encode()),
                                          tag="default-cluster-doctor-dead-model:1", rm=True,
                                          labels={SUITE_LABEL: "doctor-dead-model"})
    version = next((v for v in "123" if deploy_waits(image.tags[0], v)), None)
    assert version, "three deploys saw the dead container running; none waited"
    found = [f for f in Run(CLUSTER, probe_images=False).diagnose()
             if f.check == "unregistered model container" and "doctor-dead-model_" + version in f.summary]
    assert found and {f.entry.anchor for f in found} == {"container-not-running-yet-or-broken"}
    assert found[0].tail == ["no weights here"]


def test_text_report_is_the_shown_one(scenarios):
    result = subprocess.run(["bash", "-c", section("troubleshoot_snippets/doctor.sh", "run_app")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, APP_NAME="doctor-crash-app", CLUSTER=CLUSTER))
    assert result.returncode == 1, result.stderr
    assert same_as_shown(result.stdout, "doctor_report.txt")


def test_json_report(scenarios):
    result = doctor("--app", "doctor-ok-app", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "ok"
    assert [f["summary"][:2] for f in data["findings"] if f["scope"] == "app doctor-ok-app"] == ["OK"]


def test_no_cluster_of_that_name(docker_client):
    result = doctor("--cluster", "doctor-no-such-cluster")
    assert result.returncode == 2, result.stderr
    assert same_as_shown(result.stdout, "doctor_no_cluster.txt")


def test_collect_bundles_an_exited_containers_log(scenarios, docker_client, tmp_path):
    (crashed,) = docker_client.containers.list(
        all=True, filters={"label": "ai.clipper.model_container.label=doctor-crash-model_1"})
    result = doctor("--collect", str(tmp_path), DOCTOR_TEST_SECRET=SECRET)
    assert result.returncode == 1, result.stderr
    (bundle,) = tmp_path.glob("clipper-diagnostics-*.tar.gz")
    with tarfile.open(bundle) as tar:
        files = {m.name.split("/", 1)[1]: tar.extractfile(m).read().decode()
                 for m in tar.getmembers() if m.isfile()}
    assert "Encountered an ImportError" in files["logs/{}.log".format(crashed.name)]
    assert crashed.name in files["docker-ps.txt"]
    for call in ("get_all_apps", "get_all_models", "get_all_model_replicas", "inspect_instance"):
        assert "\n{}\n".format(call) in files["listings.txt"]
    assert "doctor-crash-app" in files["doctor.txt"]
    assert not any(SECRET in text for text in files.values())
