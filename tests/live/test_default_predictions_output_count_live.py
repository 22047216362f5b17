"""docs/default-predictions.md, crash during prediction: a closure's result must be an
iterable with one element per input. A string is iterated per character, so the RPC
length check kills the container; a NumPy array of numbers works."""
import itertools
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live.background import background
from tests.live.clipper_live import (
    NO_MODELS, answer, container_log, docker_time, model_containers, register_app, shown, shows_log,
    wait_connected, wait_for_prediction_past_758, wait_until,
)
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import deploy_image, deploy_new_version

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

SLO_MISSED = "Failed to retrieve a prediction response within the specified latency SLO"
BEFORE_THE_DROP = 20  # seconds after a replica's death; Clipper drops it about 30 s after
APP, MODEL = "string-app", "string-model"


def replicas(clipper_conn, version):
    return clipper_conn.cm.get_num_replicas(name=MODEL, version=version)


def inputs_summing_to_18_characters():
    """The page's [1.1, 2.2] (3.3000000000000003), then inputs never sent before whose sum
    also prints in 18 characters: whichever reaches the model first, its log is the shown one."""
    yield [1.1, 2.2]
    for n in itertools.count(1):
        x = [n + 0.1, 0.2]
        if len(str(sum(x))) == 18:
            yield x


def send_until(clipper_conn, stop, interval=1.5):
    """(sent at, answered at, (status, body) or None) of a query every `interval` s until
    `stop` is set, each in a thread of its own, waiting up to 45 s for its answer: a query the
    query frontend holds (in a CI run it answered none for 28 s after the death) does not hold
    back the next. No Docker call among them: under load Docker's API can lag until Clipper has
    dropped the dead replica."""
    def one(x):
        reply = answer(clipper_conn, APP, x, timeout=45)
        return time.time(), reply
    sent, inputs = [], inputs_summing_to_18_characters()
    with ThreadPoolExecutor(max_workers=64) as pool:
        while not stop.is_set():
            sent.append((time.time(), pool.submit(one, next(inputs))))
            stop.wait(interval)
    return [(at, *future.result()) for at, future in sent]


# its own cluster: when Clipper drops the dead replica, its query frontend may deadlock
# (ucbrise/clipper#758), which would stop every other scenario on a shared one
@background(own_cluster="output-count")
def test_string_return_fails_the_output_count_check(live):
    clipper_conn, docker_client = live.conn, live.docker
    broken = live.images[MODEL, "1"]
    register_app(clipper_conn, APP)  # 300 ms: its query frontend spins for 0.3 s of each 1.5 s
    deploy_image(clipper_conn, MODEL, "1", broken)
    snippets.link_model(clipper_conn, APP, MODEL)
    wait_connected(clipper_conn, MODEL)
    (crashed,) = model_containers(docker_client, MODEL, "1")

    # Queries from before the first reaches the model (which kills it) until well after its
    # death, sent on their own: which of them went out after the death, Docker says meanwhile.
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as sender:
        queries = sender.submit(send_until, clipper_conn, stop)
        try:
            wait_until(lambda: replicas(clipper_conn, "1") == 0, 90, "the container to die")
            crashed.reload()
            died = docker_time(crashed.attrs["State"]["FinishedAt"])
            stop.wait(died + BEFORE_THE_DROP - time.time())
        finally:
            stop.set()
        sent = queries.result()
    timeline = [(round(at - died, 1), round(back - died, 1), reply and (reply[1]["query_id"],
                 reply[1].get("default_explanation"))) for at, back, reply in sent]

    # the first query that reached the model: the SLO default (its container died answering it)
    routed = sorted((reply for _, _, reply in sent if reply and reply[1].get("default_explanation") != NO_MODELS),
                    key=lambda reply: reply[1]["query_id"])
    assert routed and routed[0][0] == 200 and routed[0][1]["default_explanation"] == SLO_MISSED, timeline
    # no container alive, yet still the SLO default, not "No connected models", until Clipper
    # drops the replica about 30 s after the death: every answer in the 20 s after it, and at
    # least one to a query sent after it (a query may get none in time, as the page says)
    answered = [reply for at, back, reply in sent if reply and died < at and back < died + BEFORE_THE_DROP]
    assert all(reply[0] == 200 and reply[1]["default_explanation"] == SLO_MISSED
               for reply in answered), timeline
    assert any(reply and reply[1]["default_explanation"] == SLO_MISSED
               for at, _, reply in sent if died < at), timeline
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
