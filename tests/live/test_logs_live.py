"""docs/logs.md on the session's cluster: each query frontend line the page
explains, made to appear by its cause and read with the page's snippets.
Other scenarios share the frontend's log, so only lines naming this scenario's
app and models are tied to it; the unnamed ones must follow its steps."""
import re

import pytest

from tests.live import clipper_live
from tests.live.background import background
from tests.live.clipper_live import (
    fresh_input, model_containers, post, register_app, shown, wait_connected, wait_until,
)
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
    mine = [lines[i] for i in (not_linked, unknown, default, connected, lost, removed, gone)]
    assert [normalize(l) for l in mine] == [normalize(l) for l in shown("query_frontend_log.txt").splitlines()], \
        "\n".join(mine)
