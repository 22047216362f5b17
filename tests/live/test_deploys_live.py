"""docs/deploys.md, reproduced: a deploy with no query frontend (second cluster),
a pkgs_to_install pip cannot install, a closure pickled by Python 3.7 in the 3.6 image."""
import os
import re
import subprocess
import sys

import docker
import pytest
from clipper_admin import ClipperConnection, ClipperException, DockerContainerManager, UnconnectedException

from tests.live import clipper_live
from tests.live.background import background
from tests.live.clipper_live import (
    answer, container_log, fresh_input, model_containers, register_app, shown, wait_until,
)
from tests.live.conftest import (CLUSTER_IMAGES, MODEL_BASE_IMAGE, SUITE_LABEL, remove_second_cluster,
                                 second_cluster_connection)
from tests.support import legacy_python
from tests.support.snippets import ROOT
from tests.support.strict import skip_or_fail
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import build_function_image, deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]
SHELL = "troubleshoot_snippets/deploys.sh"
NO_SUCH_PACKAGE = "no-such-package-clipper-guide"

# deploy_python_closure from Python 3.7, told to use the 3.6 image (as users do after
# "Detected 3.7"); x.sum() compiles to 3.7's LOAD_METHOD, which 3.6 does not have.
# its own cluster: when Clipper drops the crashed replica, its query frontend may deadlock
# (ucbrise/clipper#758), which would stop every other scenario on a shared one
OPCODE_CLUSTER = "opcode-check"
# (predict stays on line 6: the shown traceback names that line)
DEPLOY_FROM_37 = """\
from clipper_admin import ClipperConnection, DockerContainerManager
from clipper_admin.deployers.python import deploy_python_closure
conn = ClipperConnection(DockerContainerManager(cluster_name=%r, extra_container_kwargs={"labels": {%r: "opcode"}}))
conn.connect()
def predict(inputs):
    return [str(x.sum()) for x in inputs]
deploy_python_closure(conn, name="opcode-model", version="1", input_type="doubles", func=predict,
                      base_image=%r)
""" % (OPCODE_CLUSTER, SUITE_LABEL, MODEL_BASE_IMAGE)


@background  # in the pool: the main thread is the suite's critical path
def test_deploy_without_a_query_frontend(live):
    """A second cluster whose query frontend exited (as after a crash or a Docker restart)."""
    docker_client = live.docker
    conn = second_cluster_connection("deploy-nofrontend")
    try:
        # the manager's start without start_clipper's HTTP wait: this scenario kills the
        # query frontend next, so whether it answered yet does not matter
        clipper_live.once_more_if_port_taken(lambda: conn.cm.start_clipper(
            query_frontend_image=CLUSTER_IMAGES[0], mgmt_frontend_image=CLUSTER_IMAGES[1],
            frontend_exporter_image=CLUSTER_IMAGES[2], cache_size=33554432, qf_http_thread_pool_size=1,
            qf_http_timeout_request=5, qf_http_timeout_content=300),
            lambda: remove_second_cluster(docker_client, "deploy-nofrontend"),
            "deploy-nofrontend", conn.cm)
        conn.connect()
        (frontend,) = clipper_live.query_frontends(docker_client, "deploy-nofrontend")
        frontend.kill()
        with pytest.raises(ClipperException) as error:
            deploy_image(conn, "nofrontend-model", "1", MODEL_BASE_IMAGE)
        assert "clipper_admin.exceptions.ClipperException: {}\n".format(error.value) == shown("no_query_frontend.txt")
        # only a connection made before the frontend stopped gets there: connect() reads the
        # ports from the labels of running containers (docs/deploys.md)
        late = ClipperConnection(DockerContainerManager(cluster_name="deploy-nofrontend"))
        with pytest.raises(KeyError, match="ai.clipper.query_frontend.query.port"):
            late.connect()
        with pytest.raises(UnconnectedException):
            deploy_image(late, "nofrontend-model", "1", MODEL_BASE_IMAGE)
        with pytest.raises(KeyError, match="ai.clipper.management.port"):
            ClipperConnection(DockerContainerManager(cluster_name="no-such-cluster-guide")).connect()

        listing = clipper_live.run_shell("query_frontend_name", "troubleshoot_snippets/logs.sh")
        assert any(l.startswith(frontend.name + " ") and "Exited" in l and "deploy-nofrontend" in l
                   for l in listing.stdout.splitlines()), listing.stdout
        assert model_containers(docker_client, "nofrontend-model", "1") == []
    finally:
        remove_second_cluster(docker_client, "deploy-nofrontend", getattr(conn.cm, "prom_config_path", None))


@background  # in the pool: it waits on a build and on PyPI
def test_build_fails_on_a_package_pip_cannot_install(live):
    """build_model needs no running cluster, only its name for the image tag."""
    docker_client = live.docker
    clipper_conn = ClipperConnection(DockerContainerManager(cluster_name="deploy-build"))
    with pytest.raises(docker.errors.BuildError) as error:
        build_function_image(clipper_conn, "build-model", "1", [str(ROOT / "troubleshoot_snippets" / "model_functions.py")],
                             "model_functions.predict_sums", pkgs_to_install=[NO_SUCH_PACKAGE])
    log = "".join(c.get("stream", "") + c.get("error", "") for c in error.value.build_log)
    for step in re.findall(r"Running in ([0-9a-f]{12})", log):  # docker-py builds with rm=False
        try:
            docker_client.containers.get(step).remove(force=True, v=True)
        except docker.errors.NotFound:
            pass
    if re.search(r"failed to create endpoint|NewConnectionError|Temporary failure in name resolution", log):
        skip_or_fail("`docker build` on this engine cannot give its RUN step a network to PyPI: "
                    + log.strip().splitlines()[-1][:300])
    assert "docker.errors.BuildError: {}\n".format(error.value) == shown("build_error.txt")

    pip = clipper_live.run_shell("pip_in_image", SHELL, PACKAGE=NO_SUCH_PACKAGE)
    assert pip.returncode == 1
    assert pip.stderr.strip().splitlines()[-2:] == shown("pip_no_matching.txt").splitlines()
    assert pip.stderr.strip().splitlines()[-2:] == [l.strip() for l in re.findall(r"ERROR: .*", log)]


@background(own_cluster=OPCODE_CLUSTER)
def test_closure_pickled_on_37_in_the_36_image(live):
    clipper_conn = live.conn
    python37 = legacy_python.python_venv_or_skip("3.7")
    try:
        deployed = legacy_python.run_python(python37, DEPLOY_FROM_37, timeout=180)
    except subprocess.TimeoutExpired as e:
        # once (a local run): no line after "Adding 1" in 180 s, where clipper_admin waits
        # for its replica to run; the report says what it waited on
        log = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr or ""
        replicas = [clipper_live.container_state(c) for c in model_containers(live.docker, "opcode-model", "1")]
        raise AssertionError("deploy_python_closure on 3.7 did not end in 180 s; its replicas: {}\n"
                             "its log ends:\n{}".format(replicas or "none", log[-3000:])) from None
    assert deployed.returncode == 0, deployed.stderr
    assert "Done deploying model opcode-model:1." in deployed.stderr
    register_app(clipper_conn, "opcode-app")
    snippets.link_model(clipper_conn, "opcode-app", "opcode-model")
    (container,) = model_containers(live.docker, "opcode-model", "1")
    clipper_live.wait_for_log_line(container, "Sent container metadata!", 90, "the container to connect")

    def crashed():
        answer(clipper_conn, "opcode-app", fresh_input())
        container.reload()
        return container.status == "exited"
    wait_until(crashed, 60, "the container to exit at its first query")
    assert clipper_live.shows_log(container.name, "unknown_opcode.log"), container_log(container.name)

    versions = clipper_live.run_shell("python_versions", SHELL, merge_stderr=True,
                                      PATH="{}:{}".format(python37.parent, os.environ["PATH"]))
    assert re.sub(r"3\.7\.\d+", "3.7.16", versions.stdout) == shown("python_versions.txt")


def test_clipper_admin_version_snippet():
    result = clipper_live.run_shell("clipper_admin_version", SHELL,  # with this Python's pip
                                    PATH="{}:{}".format(os.path.dirname(sys.executable), os.environ["PATH"]))
    assert (result.returncode, result.stdout) == (0, "Version: 0.4.1\n"), result.stderr
