"""Small helpers for live scenarios: waiting, fresh inputs, shell sections, shown outputs."""
import itertools
import os
import re
import subprocess
import time

import requests

from tests.support.snippets import ROOT, section

_counter = itertools.count(1)
SHELL_SNIPPETS = "troubleshoot_snippets/inspect_containers.sh"


def fresh_input():
    """A doubles input never sent before in this run, so Clipper's prediction cache cannot answer it."""
    n = next(_counter)
    return [n + 0.25, 1.5]


def wait_until(check, timeout, what, interval=1.0):
    """Call `check` until it returns something truthy; fail after `timeout` seconds saying `what`."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = check()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError("after {} s still waiting for {} (last: {!r})".format(timeout, what, last))
        time.sleep(interval)


def post(clipper_conn, app_name, x):
    """One real query; (status, parsed body)."""
    url = "http://{}/{}/predict".format(clipper_conn.get_query_addr(), app_name)
    r = requests.post(url, json={"input": x}, timeout=15)
    return r.status_code, r.json()


def register_app(clipper_conn, app_name, slo_micros=100000):
    clipper_conn.register_application(
        name=app_name, input_type="doubles", default_output="-1.0", slo_micros=slo_micros)


def connected_models(clipper_conn):
    """Names of models with a replica connected to the query frontend."""
    return {r["model_name"] for r in clipper_conn.get_all_model_replicas(verbose=True)}


def wait_connected(clipper_conn, model_name, timeout=90):
    wait_until(lambda: model_name in connected_models(clipper_conn), timeout,
               "a replica of {} to connect".format(model_name))


def wait_for_prediction(clipper_conn, app_name, timeout=90):
    """Query fresh inputs until a real (non-default) answer comes back; that body."""
    def attempt():
        status, body = post(clipper_conn, app_name, fresh_input())
        return body if status == 200 and body.get("default") is False else None
    return wait_until(attempt, timeout, "a non-default prediction from " + app_name)


def model_containers(docker_client, model_name, version):
    label = "ai.clipper.model_container.label={}_{}".format(model_name, version)
    return docker_client.containers.list(all=True, filters={"label": label})


def run_shell(name, snippets=SHELL_SNIPPETS, timeout=60, **env):
    """Run section `name` of a shell snippet file with bash, as a reader would paste it."""
    return subprocess.run(
        ["bash", "-c", section(snippets, name)], capture_output=True, text=True,
        timeout=timeout, env=dict(os.environ, **env))


def shown(output_file):
    return (ROOT / "troubleshoot_snippets" / "outputs" / output_file).read_text()


def same_response_line(printed, output_file):
    """`printed` equals the shown output but for query_id, which counts up per cluster."""
    def norm(text):
        return re.sub(r'"query_id":\d+', '"query_id":N', text.strip())
    return norm(printed) == norm(shown(output_file))


def shows_log(log_text, output_file):
    """The shown log lines occur in `log_text` in order; '...' in the shown file allows a gap."""
    lines = log_text.splitlines()
    pos, gap_ok = 0, True
    for want in shown(output_file).splitlines():
        if want == "...":
            gap_ok = True
            continue
        try:
            found = lines.index(want, pos) if gap_ok else (pos if lines[pos] == want else -1)
        except (ValueError, IndexError):
            return False
        if found < 0:
            return False
        pos, gap_ok = found + 1, False
    return True
