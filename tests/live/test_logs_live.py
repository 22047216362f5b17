"""docs/logs.md on the session's cluster: each query frontend line the page
explains, made to appear by its cause and read with the page's snippets.
Other scenarios share the frontend's log, so only lines naming this scenario's
app and models are tied to it; the unnamed ones must follow its steps."""
import re
import time

import pytest
import requests

from tests.live import clipper_live
from tests.live.background import background
from tests.live.clipper_live import (
    fresh_input, model_containers, post, register_app, shown, wait_connected, wait_for_prediction, wait_until,
)
from tests.live.doctor_check import doctor_findings
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]
SHELL = "troubleshoot_snippets/logs.sh"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def log_lines(name):
    """The lines the page's grep picks out of the query frontend's log, without colour codes."""
    result = clipper_live.run_shell("query_frontend_log", SHELL, QUERY_FRONTEND=name)
    assert result.returncode in (0, 1), result.stderr
    return [ANSI.sub("", line) for line in result.stdout.splitlines()]


def normalize(line):
    """A log line without its time and query id."""
    line = re.sub(r"^\[\d\d:\d\d:\d\d\.\d+\]", "[hh:mm:ss.mmm]", line)
    return re.sub(r"query with id: \d+", "query with id: N", line)


def first_after(name, pattern, after, timeout):
    """Index of the first grep line past index `after` matching `pattern`, waiting for it."""
    def found():
        lines = log_lines(name)
        return next((i + 1 for i in range(after + 1, len(lines)) if re.search(pattern, lines[i])), None)
    return wait_until(found, timeout, "the query frontend to log " + pattern) - 1


# its own cluster: when Clipper drops the killed replica, its query frontend may deadlock
# (ucbrise/clipper#758), which would stop every other scenario on a shared one
@background(own_cluster="logs-check")
def test_query_frontend_log_lines(live):
    clipper_conn, app = live.conn, "logs-app"
    cluster = clipper_conn.cm.cluster_name
    (frontend,) = clipper_live.query_frontends(live.docker, cluster)
    qf = frontend.name
    listing = clipper_live.run_shell("query_frontend_name", SHELL)
    assert any(l.startswith(qf + " ") and " Up " in l and cluster in l
               for l in listing.stdout.splitlines()), listing.stdout

    # not linked
    register_app(clipper_conn, app)
    post(clipper_conn, app, fresh_input())
    not_linked = first_after(qf, r"No candidate models for query with label logs-app$", -1, 30)
    # the query processor logs the default right after the selection policy's reason
    not_linked_default = first_after(qf, r"No connected models found for query with id: \d+$", not_linked, 5)
    assert not_linked_default == not_linked + 1, log_lines(qf)[not_linked:not_linked + 3]

    # linked, but no container ever connected: a model registered without one
    clipper_conn.register_model(name="logs-model", version="1", input_type="doubles")
    snippets.link_model(clipper_conn, app, "logs-model")
    wait_until(lambda: post(clipper_conn, app, fresh_input()) and any(
        l.endswith("unknown model: logs-model : 1") for l in log_lines(qf)), 30, "an unknown-model line")
    unknown = first_after(qf, r"Received task for unknown model: logs-model : 1$", -1, 5)
    default = first_after(qf, r"No connected models found for query with id: \d+$", unknown, 5)

    # a container connects, then is lost
    before = len(log_lines(qf)) - 1
    deploy_image(clipper_conn, "logs-live", "1", live.images["sum-model", "1"])
    wait_connected(clipper_conn, "logs-live", timeout=90)
    connected = first_after(qf, r"\[RPC\] New container connected$", before, 10)
    (container,) = model_containers(live.docker, "logs-live", "1")
    killed_at = len(log_lines(qf)) - 1
    container.kill()
    removed = first_after(qf, r"\[CONTAINERS\] Removing container \d+ for model logs-live:1$", killed_at, 150)
    lost = first_after(qf, r"\[RPC\] lost contact with a container$", killed_at, 5)
    assert lost < removed
    gone = first_after(qf, r"All containers of model logs-live:1 are removed\. Remove itself$", removed, 5)

    lines = log_lines(qf)
    mine = [lines[i] for i in (not_linked, not_linked_default, unknown, default, connected, lost, removed, gone)]
    want = [normalize(l) for l in shown("query_frontend_log.txt").splitlines()]
    assert [normalize(l) for l in mine] == want, "\n".join(mine)
    # the page shows one line of each kind: the grep printed no other kind
    assert {normalize(l) for l in lines} == set(want), "\n".join(lines)


# its own cluster: the scenario makes its query frontend abort
@background(own_cluster="abort-check")
def test_query_frontend_aborts_on_an_application_deleted_unread(live):
    """An application deleted before the query frontend read it: the frontend aborts. It reads a
    new application a few milliseconds after register_application returns; a script that deletes
    the application at once can win that race (this suite's own did). Here the frontend is paused
    for the two calls, so it reads the application only after the deletion, every time."""
    clipper_conn, docker_client = live.conn, live.docker
    cluster = clipper_conn.cm.cluster_name
    register_app(clipper_conn, "abort-app")
    deploy_image(clipper_conn, "abort-model", "1", live.images["sum-model", "1"])
    snippets.link_model(clipper_conn, "abort-app", "abort-model")
    wait_for_prediction(clipper_conn, "abort-app")

    (frontend,) = clipper_live.query_frontends(docker_client, cluster)
    frontend.pause()
    try:
        clipper_conn.register_application("abort-gone", "doubles", "-1.0", 100000)
        clipper_conn.unregister_application("abort-gone")
    finally:
        frontend.unpause()
    wait_until(lambda: frontend.reload() or frontend.status == "exited", 90, "the query frontend to exit")
    assert frontend.attrs["State"]["ExitCode"] == 134

    # what the page shows: the listing, the log's end, and queries that find no one listening
    listing = clipper_live.run_shell("query_frontend_name", SHELL)
    assert any(l.startswith(frontend.name + " ") and "Exited (134)" in l and cluster in l
               for l in listing.stdout.splitlines()), listing.stdout
    log = [ANSI.sub("", line) for line in clipper_live.container_log(frontend.name).splitlines()]
    # the shown lines in order among the last ones: Docker interleaves stdout lines (run 39)
    tail = iter([line for line in log if line.strip()][-15:])
    assert all(any(line == want for line in tail) for want in shown("frontend_aborted.log").splitlines()), log[-15:]
    with pytest.raises(requests.exceptions.ConnectionError, match="Connection refused"):
        post(clipper_conn, "abort-app", fresh_input())
    assert [(f.check, f.entry.anchor if f.entry else None) for f in doctor_findings(None, cluster)
            if f.check == "query frontend"] == [("query frontend", "frontend-aborted")]

    # fix: start it again, then restart the model containers: they looked up its address
    # when they started, and a container started meanwhile may have taken that address
    started = clipper_live.run_shell("start_query_frontend", SHELL, QUERY_FRONTEND=frontend.name)
    assert started.returncode == 0, started.stderr
    snippets.restart_model_containers(clipper_conn)
    assert wait_for_prediction(clipper_conn, "abort-app", timeout=60)["default"] is False

    # what the page advises: delete an application only once a query to it got an answer
    register_app(clipper_conn, "abort-later")  # waits for that answer
    clipper_conn.unregister_application("abort-later")
    time.sleep(2)
    frontend.reload()
    assert frontend.status == "running", clipper_live.container_state(frontend)
