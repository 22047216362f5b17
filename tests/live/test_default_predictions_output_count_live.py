"""docs/default-predictions.md, crash during prediction: a closure's result must be an
iterable with one element per input. A string is iterated per character, so the RPC
length check kills the container; a NumPy array of numbers works."""
import re
import time

import pytest

from tests.live.background import background
from tests.live.clipper_live import (
    answer, container_log, docker_time, first_routed_answer, fresh_input, model_containers, register_app,
    shown, shows_log, wait_connected, wait_for_prediction_past_758, wait_until,
)
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import deploy_image, deploy_new_version

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

SLO_MISSED = "Failed to retrieve a prediction response within the specified latency SLO"
BEFORE_THE_DROP = 20  # seconds after a replica's death; Clipper drops it about 30 s after
APP, MODEL = "string-app", "string-model"


def replicas(clipper_conn, version):
    return clipper_conn.cm.get_num_replicas(name=MODEL, version=version)


def queries_after_the_answer(clipper_conn, seconds=15, at_least=3):
    """(send time, body or None) of queries sent one after another for `seconds`, and at least
    `at_least` of them (the query in flight as the replica died was once held 15 s, an idle
    run), with no Docker call among them: under load Docker's API can lag until Clipper has
    dropped the dead replica (about 30 s after its death)."""
    sent, end = [], time.time() + seconds
    while time.time() < end or len(sent) < at_least:
        at = time.time()
        reply = answer(clipper_conn, APP, fresh_input())
        sent.append((at, reply and reply[1]))
        time.sleep(0.5)
    return sent


# its own cluster: when Clipper drops the dead replica, its query frontend may deadlock
# (ucbrise/clipper#758), which would stop every other scenario on a shared one
@background(own_cluster="output-count")
def test_string_return_fails_the_output_count_check(live):
    clipper_conn, docker_client = live.conn, live.docker
    broken = live.images[MODEL, "1"]
    register_app(clipper_conn, APP, slo_micros=1000000)
    deploy_image(clipper_conn, MODEL, "1", broken)
    snippets.link_model(clipper_conn, APP, MODEL)
    wait_connected(clipper_conn, MODEL)
    (crashed,) = model_containers(docker_client, MODEL, "1")

    # [1.1, 2.2] sums to 3.3000000000000003: 18 characters for one input
    status, body = first_routed_answer(clipper_conn, APP, [1.1, 2.2])
    assert (status, body["default"], body["default_explanation"]) == (200, True, SLO_MISSED)
    # no container alive, yet still the SLO default, not "No connected models": asked at once,
    # as Clipper switches about 30 s after the death (test_wrong_interface_crashes_during_prediction);
    # which queries went out after the death, Docker is asked afterwards
    sent = queries_after_the_answer(clipper_conn)
    wait_until(lambda: replicas(clipper_conn, "1") == 0, 90, "the container to die")
    crashed.reload()
    died = docker_time(crashed.attrs["State"]["FinishedAt"])
    # before Clipper drops the dead replica: once (CI, a query held 19 s) the next query
    # went out 29 s after the death and got "No connected models"
    after = [body for at, body in sent if died < at < died + BEFORE_THE_DROP]
    assert after, "no query went out in the {} s after the container ended at {}: {}".format(
        BEFORE_THE_DROP, died, sent)
    # each answer is the SLO default; a query may get none in time (None), as the page says
    answered = [body for body in after if body]
    assert answered and all(body["default_explanation"] == SLO_MISSED for body in answered), [
        (round(at - died, 1), body and (body["query_id"], body["default_explanation"])) for at, body in sent]
    # <n> is the number of inputs in the batch Clipper sent: not always 1
    log = container_log(crashed.name)
    n = re.search(r"Expected model to return (\d+) outputs, found 18 outputs", log).group(1)
    want = shown("wrong_output_count.log").replace("return 1 outputs", "return {} outputs".format(n))
    assert shows_log(crashed.name, "wrong_output_count.log", want), log

    # a NumPy array of numbers is fine: the closure container str()s each element
    fixed = live.images[MODEL, "2"]
    deploy_new_version(clipper_conn, MODEL, fixed)
    body, _ = wait_for_prediction_past_758(clipper_conn, docker_client, APP, MODEL, "2")
    assert body["default"] is False
    (running,) = model_containers(docker_client, MODEL, "2")
    assert running.status == "running"
