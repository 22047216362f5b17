"""Small helpers for live scenarios: waiting, fresh inputs, shell sections, shown outputs."""
import calendar
import itertools
import os
import re
import subprocess
import sys
import time

import docker
import requests

from tests.support.snippets import ROOT, section
from troubleshoot_snippets import default_predictions

_counter = itertools.count(1)
SHELL_SNIPPETS = "troubleshoot_snippets/inspect_containers.sh"
DOCKER_CLUSTER_SNIPPETS = "troubleshoot_snippets/docker_cluster.sh"


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


DNS_FAILED = "Error resolving "  # rpc.py, then exit 1: the query frontend's name did not resolve


_STARTED_AGAIN = set()  # containers started once more after a DNS failure: never twice


def started_again_after_dns_failure(containers):
    """Start again, once each, the exited model containers among `containers` whose Python
    could not resolve the query frontend's name: Docker's DNS has not answered in time under
    the suite's load. True if one was."""
    again = False
    for c in containers:
        if c.name in _STARTED_AGAIN:
            continue
        c.reload()
        if c.status == "exited" and DNS_FAILED in c.logs(tail=5).decode(errors="replace"):
            _STARTED_AGAIN.add(c.name)
            LOST_RACES.append("{}: Docker's DNS did not resolve the query frontend's name; "
                              "the container was started again".format(c.name))
            c.start()
            again = True
    return again


def wait_for_log_line(container, text, timeout, what):
    """Wait until `text` is in `container`'s log; a timeout's failure shows its state and log end.
    A container that exited for Docker's DNS (see started_again_after_dns_failure) gets one more start."""
    def logged():
        if text in container_log(container.name):
            return True
        started_again_after_dns_failure([container])
        return False
    try:
        wait_until(logged, timeout, what)
    except AssertionError as e:
        container.reload()
        raise AssertionError("{}; {}".format(e, container_state(container, tail=30))) from None


def post(clipper_conn, app_name, x, timeout=15):
    """One real query; (status, parsed body)."""
    url = "http://{}/{}/predict".format(clipper_conn.get_query_addr(), app_name)
    r = requests.post(url, json={"input": x}, timeout=timeout)
    return r.status_code, r.json()


def answer(clipper_conn, app_name, x, timeout=15):
    """post(), or None while the query frontend has no route for the app yet (it adds a
    new app's route asynchronously and closes connections to apps it does not know) or
    does not answer in time (a deadlocked one, #758, can hold a query forever)."""
    try:
        return post(clipper_conn, app_name, x, timeout)
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
        return None


def answer_or_nothing(clipper_conn, app_name, x):
    """answer(), with (None, {}) for a query that got no HTTP answer."""
    return answer(clipper_conn, app_name, x) or (None, {})


def explanation(clipper_conn, app_name, x):
    """The default_explanation of the answer to `x` (None for a real answer or none at all)."""
    return answer_or_nothing(clipper_conn, app_name, x)[1].get("default_explanation")


def poll_interval(clipper_conn, app_name):
    """Seconds between the queries of a wait: each query, answered or not, spins a core of the
    query frontend until the app's SLO runs out (docs/docker-cluster.md#frontend-cpu), so an app
    with a 1 s SLO asked every second kept a core busy; four times the SLO (a quarter of the
    time spinning), 1 to 3 s, so a 30 s wait still asks ten times."""
    slo = (clipper_conn.get_app_info(app_name) or {}).get("slo_micros", 0) / 1e6
    return min(3.0, max(1.0, 4 * slo))


def wait_for_answer(clipper_conn, app_name, timeout, what, interval=None):
    """Query fresh inputs until one gets an HTTP answer (see answer()); that (status, body)."""
    return wait_until(lambda: answer(clipper_conn, app_name, fresh_input()), timeout, what,
                      interval or poll_interval(clipper_conn, app_name))


def wait_for_route(clipper_conn, app_name, timeout=15):
    """Wait until a query to a just-registered app gets an HTTP answer; that (status, body)."""
    return wait_for_answer(clipper_conn, app_name, timeout,
                           "the query frontend to add the route of application " + app_name, interval=0.1)


def register_app(clipper_conn, app_name, slo_micros=300000, query=True):
    # After every query the query frontend spins a core until the SLO runs out
    # (docs/docker-cluster.md#frontend-cpu): with 1 s, every polled frontend spun all the time
    # and load averages reached 40 on 2 cores. 300 ms leaves wait_for_prediction's retries to
    # absorb a slow cold answer; where the doctor must find the mean latency under the SLO,
    # scenarios pass 1 s, as do the SLO scenarios their own.
    clipper_conn.register_application(
        name=app_name, input_type="doubles", default_output="-1.0", slo_micros=slo_micros)
    if query:  # the route's first answer is a default, counted in the app's metrics
        wait_for_route(clipper_conn, app_name)


NO_MODELS = "No connected models found for query"


def first_routed_answer(clipper_conn, app_name, x, timeout=60):
    """(status, body) of the first query with `x` that reached a model: a replica counts as
    connected a moment before the query frontend routes queries to it. A query the frontend
    holds (in a CI run it answered none for 28 s after a container died in it) is waited for,
    up to 45 s, then asked again."""
    def routed():
        status, body = answer(clipper_conn, app_name, x, timeout=45) or (None, {"default_explanation": NO_MODELS})
        return (status, body) if body.get("default_explanation") != NO_MODELS else None
    return wait_until(routed, timeout, "a query to reach the model of " + app_name,
                      poll_interval(clipper_conn, app_name))


def connected_models(clipper_conn):
    """Names of models with a replica connected to the query frontend."""
    return {r["model_name"] for r in clipper_conn.get_all_model_replicas(verbose=True)}


def wait_connected(clipper_conn, model_name, timeout=90):
    polls = itertools.count(1)

    def connected():
        if model_name in connected_models(clipper_conn):
            return True
        # every 10 s: a replica that exited for Docker's DNS is started again
        if next(polls) % 10 == 0:
            cm = clipper_conn.cm
            mine = cm.docker_client.containers.list(all=True, filters={"label": [
                "ai.clipper.container.label=" + cm.cluster_name, "ai.clipper.model_container.label"]})
            started_again_after_dns_failure(
                [c for c in mine if c.labels["ai.clipper.model_container.label"].startswith(model_name + "_")])
        return False
    wait_until(connected, timeout,
               "a replica of {} to connect".format(model_name))


def wait_for_prediction(clipper_conn, app_name, timeout=150):
    """Query fresh inputs until a real (non-default) answer comes back; that body."""
    def attempt():
        status, body = answer_or_nothing(clipper_conn, app_name, fresh_input())
        return body if status == 200 and body.get("default") is False else None
    return wait_until(attempt, timeout, "a non-default prediction from " + app_name,
                      poll_interval(clipper_conn, app_name))


def query_frontends(docker_client, cluster, all=False):
    """The query frontend container of `cluster`, in a list (empty if it has none)."""
    return docker_client.containers.list(all=all, ignore_removed=True, filters={"label": [
        "ai.clipper.container.label=" + cluster, "ai.clipper.query_frontend.label"]})


DEADLOCKS = []  # where #758 was hit and the guide's restart applied, for the run's summary
LOST_RACES = []  # races with Docker the suite lost and tried again, for the run's summary
DOCKER_MISSED_OOM = []  # memory-killed containers Docker left with State.OOMKilled false, for the summary
PORT_TAKEN = "address already in use"
RETRY_WARNING = "container is not running yet or broken"  # clipper_admin's deploy, once a second
RPC_QUIET = 20  # s: connected replicas heartbeat every 5 s, which the RPC thread logs


class NewLogLines:
    """A container's timestamped log, fetched a little at a time: read() asks Docker only
    for what came since the last line it has, so a poll each second does not re-read a
    query frontend's whole log (it logs every RPC message); all lines so far."""

    def __init__(self, container):
        self.container = container
        self.lines = []

    def read(self):
        last = self.lines[-1].split(" ", 1)[0] if self.lines else None
        since = int(docker_time(last)) if last else None
        new = self.container.logs(timestamps=True, since=since).decode(errors="replace").splitlines()
        # `since` has whole seconds; Docker's stamps have a fixed width, so they sort as text
        self.lines += [line for line in new if last is None or line.split(" ", 1)[0] > last]
        return self.lines


def frontend_deadlocked(frontend_log, docker_client, model_name, version):
    """Whether the cluster's query frontend (its NewLogLines) shows ucbrise/clipper#758 after it
    dropped a dead replica: the removal of a replica of (model, version) began (`Thread is
    interrupted`) and has not ended (`Work queue destroyed`) for RPC_QUIET s, or its RPC
    thread has logged nothing for RPC_QUIET s although a replica has run for longer (that
    thread waits on a lock forever)."""
    log = frontend_log.read()
    last_rpc = _last_rpc_message(log)
    if not last_rpc or not any("[CONTAINERS] Removing container" in line for line in log):
        return False
    now = time.time()
    removing = "for model {}:{}, replica".format(model_name, version)
    began = None
    for line in log:
        if "[THREADPOOL] Thread is interrupted " + removing in line:
            began = began or line.split(" ", 1)[0]
        elif "[THREADPOOL] Work queue destroyed " + removing in line:
            began = None
    if began and now - docker_time(began) > RPC_QUIET:
        return True
    started = [docker_time(c.attrs["State"]["StartedAt"])
               for c in model_containers(docker_client, model_name, version) if c.status == "running"]
    return now - docker_time(last_rpc) > RPC_QUIET and any(now - t > RPC_QUIET for t in started)


def cores_used(container, seconds=2.0):
    """CPU cores `container` used over `seconds` (its Clipper RPC loop polls: ~0.07 idle)."""
    def used():
        return container.stats(stream=False)["cpu_stats"]["cpu_usage"]["total_usage"] / 1e9
    before, started = used(), time.monotonic()
    time.sleep(seconds)
    return (used() - before) / (time.monotonic() - started)


def _last_rpc_message(log):
    """Docker's timestamp of the RPC thread's last received message in a timestamped log, or None."""
    rpc = [line.split(" ", 1)[0] for line in log if "[RPC] Found message to receive" in line]
    return rpc[-1] if rpc else None


def docker_time(stamp):
    """Docker's "2026-11-26T05:01:31.72612345Z" (UTC, trailing zeros dropped) in seconds since the epoch."""
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) + float("0." + (fraction or "0"))


def wait_for_prediction_past_758(clipper_conn, docker_client, app_name, model_name, version, timeout=150):
    """wait_for_prediction from (model, version), the new replica of a fix. If the query frontend
    deadlocked when it dropped the dead replica (ucbrise/clipper#758, a race), do what the guide's
    entry says, restart the query frontend and then the model containers, and wait again.
    (body, whether it had deadlocked)."""
    (frontend,) = query_frontends(docker_client, clipper_conn.cm.cluster_name)
    frontend_log = NewLogLines(frontend)

    def attempt():
        status, body = answer_or_nothing(clipper_conn, app_name, fresh_input())
        if status == 200 and body.get("default") is False:
            return body
        return "deadlocked" if frontend_deadlocked(frontend_log, docker_client, model_name, version) else None
    try:
        result = wait_until(attempt, timeout, "a non-default prediction from " + app_name,
                            poll_interval(clipper_conn, app_name))
    except AssertionError as e:
        replicas = [container_state(c) for c in model_containers(docker_client, model_name, version)]
        raise AssertionError("{}; the containers of {}:{}: {}".format(
            e, model_name, version, "\n".join(replicas) or "none")) from None
    if result != "deadlocked":
        return result, False
    DEADLOCKS.append("{} ({}:{})".format(clipper_conn.cm.cluster_name, model_name, version))
    doctor_sees_deadlock(docker_client, clipper_conn.cm.cluster_name, frontend)
    default_predictions.restart_query_frontend(clipper_conn)
    default_predictions.restart_model_containers(clipper_conn)
    return wait_for_prediction(clipper_conn, app_name, timeout), True


DEADLOCKED_LOGS = ROOT / "build" / "live-outputs" / "deadlocked"


def doctor_sees_deadlock(docker_client, cluster, frontend):
    """The doctor's verdict on a query frontend the suite found deadlocked (#758): a problem
    naming the entry. Its timestamped log is kept in build/live-outputs/deadlocked/, a
    recording of the real thing for tests/static/data/."""
    from troubleshoot_snippets.doctor import checks
    from troubleshoot_snippets.doctor.report import PROBLEM
    DEADLOCKED_LOGS.mkdir(parents=True, exist_ok=True)
    kept = DEADLOCKED_LOGS / "{}-{}.log".format(frontend.name, int(time.time()))
    kept.write_bytes(frontend.logs(timestamps=True))
    (finding,) = checks.frontend_deadlock(checks.cluster_containers(docker_client, cluster))
    assert finding.status == PROBLEM and finding.entry.anchor == "frontend-deadlock", (
        "the suite found {} deadlocked (log: {}), the doctor says: {}".format(frontend.name, kept, finding))


def model_containers(docker_client, model_name, version):
    label = "ai.clipper.model_container.label={}_{}".format(model_name, version)
    return docker_client.containers.list(all=True, filters={"label": label})


def cap_query_frontend(cluster):
    """Cap `cluster`'s query frontend at half a core with the guide's snippet
    (docs/docker-cluster.md#frontend-cpu); the IDs `docker update` printed."""
    capped = run_shell("cap_frontend_cpu", DOCKER_CLUSTER_SNIPPETS, CLUSTER=cluster)
    assert capped.returncode == 0 and capped.stdout.strip(), capped.stderr
    return capped.stdout.split()


def throttle_query_frontend(docker_client, cluster, cores):
    """Hold `cluster`'s query frontend to `cores` CPU cores, as the guide's cap_frontend_cpu
    does at 0.5 (with --cpus, which docker-py's update() lacks; a quota per period is the same)."""
    for frontend in query_frontends(docker_client, cluster):
        frontend.update(cpu_period=100000, cpu_quota=int(cores * 100000))


def run_shell(name, snippets=SHELL_SNIPPETS, timeout=60, merge_stderr=False, **env):
    """Run section `name` of a shell snippet file with bash, as a reader would paste it."""
    return subprocess.run(
        ["bash", "-c", section(snippets, name)], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE, text=True,
        timeout=timeout, env=dict(os.environ, **env))


def container_log(container_name):
    """What the shown `docker logs` snippet prints, stdout and stderr interleaved as in a terminal."""
    return run_shell("logs", merge_stderr=True, CONTAINER=container_name).stdout


def shown(output_file):
    return (ROOT / "troubleshoot_snippets" / "outputs" / output_file).read_text()


def same_response_line(printed, output_file):
    """`printed` equals the shown output but for query_id, which counts up per cluster."""
    def norm(text):
        return re.sub(r'"query_id":\d+', '"query_id":N', text.strip())
    return norm(printed) == norm(shown(output_file))


def shows_log(container_name, output_file, text=None):
    """The shown log's lines (or `text`, the shown log adapted by the caller) occur in
    the container's log in order; '...' allows a gap.

    Docker stamps stdout and stderr lines as it reads them, so lines that Python
    flushes to both at exit can come out in either order; a log that differs
    from the shown one only in that interleaving still counts.
    """
    want = (shown(output_file) if text is None else text).splitlines()
    if _in_order(container_log(container_name).splitlines(), want):
        return True
    split = run_shell("logs", CONTAINER=container_name)
    streams = [split.stdout.splitlines(), split.stderr.splitlines()]
    lines = [line for line in want if line != "..."]
    return (all(any(line in s for s in streams) for line in lines)
            and all(_in_order(s, [line for line in lines if line in s], gaps=True) for s in streams))


def _in_order(lines, want, gaps=False):
    """`want` occurs in `lines` in order: consecutively, except after a '...' (or with gaps=True)."""
    pos, gap_ok = 0, True
    for line in want:
        if line == "...":
            gap_ok = True
            continue
        if gap_ok or gaps:
            try:
                pos = lines.index(line, pos) + 1
            except ValueError:
                return False
        elif pos < len(lines) and lines[pos] == line:
            pos += 1
        else:
            return False
        gap_ok = False
    return True


# The reader's deploy snippet in a child process, which the tests stop once it retries.
DEPLOY_IN_CHILD = """\
import sys
import tests.live.metric_config_lock
from clipper_admin import ClipperConnection, DockerContainerManager
from troubleshoot_snippets.model_image import deploy_image
clipper_conn = ClipperConnection(DockerContainerManager(
    cluster_name=sys.argv[4], extra_container_kwargs={"labels": {sys.argv[3]: "deploy-child"}}))
clipper_conn.connect()
deploy_image(clipper_conn, sys.argv[1], sys.argv[5], sys.argv[2])
"""


def stderr_until(code, args, marker, times, what, env=None, timeout=60, or_ended_with=None):
    """Run Python `code` with `args` in a child until `marker` has appeared in `times` of its
    stderr lines, then kill it; those lines. Fails if it ends or `timeout` passes first,
    unless it ended after a line containing `or_ended_with`."""
    child = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, text=True,
                             stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    lines = []
    try:
        deadline = time.monotonic() + timeout
        while sum(marker in line for line in lines) < times:
            assert time.monotonic() < deadline, "no {}; stderr:\n{}".format(what, "".join(lines))
            line = child.stderr.readline()
            if not line and or_ended_with and any(or_ended_with in l for l in lines):
                return lines
            assert line, "it ended before {}; stderr:\n{}".format(what, "".join(lines))
            lines.append(line)
        assert child.poll() is None  # still retrying
    finally:
        child.kill()
        child.wait(timeout=30)
    return lines


def _deploy_in_child(args, times, timeout=60):
    """DEPLOY_IN_CHILD with `args` until clipper_admin has logged `times` retries of its
    check that the new container runs, or the deploy is done; (whether it retried, its log)."""
    lines = stderr_until(DEPLOY_IN_CHILD, args, RETRY_WARNING, times, "retry warning or end of the deploy",
                         timeout=timeout, or_ended_with="Done deploying model")
    return any(RETRY_WARNING in line for line in lines), lines


def deploy_until_it_retries(model, image, label, times=1, attempts=3):
    """The deploy snippet for (model, version 1, image) until clipper_admin has logged
    `times` retries of its container check; the model name deployed, and its log lines.

    A container that exits within milliseconds can still be running when clipper_admin
    first looks (Docker records the exit a little later); that deploy succeeds and
    registers the model, so the next attempt deploys the image under a new name."""
    for attempt in range(1, attempts + 1):
        name = model if attempt == 1 else "{}-{}".format(model, attempt)
        retried, lines = _deploy_in_child([name, image, label, "default-cluster", "1"], times)
        if retried:
            return name, lines
        LOST_RACES.append("{}: clipper_admin saw its container running before it exited".format(name))
    raise AssertionError("in {} deploys of {} clipper_admin saw its container running each time; "
                         "last log:\n{}".format(attempts, image, "".join(lines)))


def deploy_dying_image(clipper_conn, model, version, image, label, attempts=3):
    """The deploy snippet for an image whose container dies a second or two after it starts,
    in a child: clipper_admin must see the container running, as it usually does, and register
    the model. On a loaded machine its check has come after the exit, and the deploy would
    retry for five minutes: the child is stopped at the first retry warning, the exited
    container removed (the model is not registered yet) and the deploy tried again."""
    args = [model, image, label, clipper_conn.cm.cluster_name, version]
    for _ in range(attempts):
        retried, lines = _deploy_in_child(args, 1, timeout=120)
        if not retried:
            return
        LOST_RACES.append("{}: its container had exited when clipper_admin looked".format(model))
        client = docker.from_env(timeout=60)
        try:
            for container in model_containers(client, model, version):
                container.remove(force=True, v=True)
        finally:
            client.close()
    raise AssertionError("in {} deploys of {} clipper_admin found its container exited each time; "
                         "last log:\n{}".format(attempts, image, "".join(lines)))


# what DockerContainerManager.start_clipper sets to the ports it found free
MANAGER_PORTS = ("redis_port", "clipper_management_port", "clipper_query_port", "clipper_rpc_port",
                 "prometheus_port")


def once_more_if_port_taken(start, remove, what, manager=None):
    """start(); if Docker could not bind a port clipper_admin had found free (it picks a
    random one in 10000-50000, and another socket of this busy machine can take it in
    between), remove() what it started and start() once more. With `manager` (the
    DockerContainerManager start() uses), its ports are first set back to what they were:
    it keeps the ports it found, and a retry asked for the same taken port (a CI try)."""
    ports = {name: getattr(manager, name) for name in MANAGER_PORTS} if manager else {}
    try:
        return start()
    except (docker.errors.APIError, AssertionError) as e:
        if PORT_TAKEN not in str(e):
            raise
        LOST_RACES.append("{}: a port clipper_admin chose was taken before Docker bound it".format(what))
    remove()
    for name, port in ports.items():
        setattr(manager, name, port)
    return start()


def container_state(container, tail=15):
    """A container's state and the end of its log, for a failure report."""
    return "{} is {} (exit code {}); its log ends:\n{}".format(
        container.name, container.status, container.attrs["State"]["ExitCode"],
        container.logs(tail=tail).decode(errors="replace"))


def management_frontend_state(cluster):
    """The cluster's management frontend as a failure report says it: its state, restarts, log end."""
    client = docker.from_env(timeout=60)
    try:
        return "; ".join("{} (started {}, restarted {} times)".format(
            container_state(c, tail=8), c.attrs["State"]["StartedAt"], c.attrs["RestartCount"])
            for c in client.containers.list(all=True, ignore_removed=True, filters={"label": [
                "ai.clipper.container.label=" + cluster, "ai.clipper.management_frontend.label"]})) or None
    finally:
        client.close()


def query_frontend_state(cluster):
    """What the cluster's query frontend did last: its exit if it died, else its last
    container events and its RPC thread's last message (silent: see #758)."""
    client = docker.from_env(timeout=60)
    try:
        for c in query_frontends(client, cluster, all=True):
            if c.status != "running":
                return "(the query frontend {})".format(container_state(c, tail=4))
            log = c.logs(timestamps=True).decode(errors="replace").splitlines()
            events = [line for line in log if "New container connected" in line
                      or "[CONTAINERS] Adding" in line or "[CONTAINERS] Removing" in line
                      or "[THREADPOOL]" in line]
            return "(the query frontend {} runs, started {}, using {:.2f} cores; now {}; its RPC thread's " \
                "last message {}; its last container events:\n{}\nits log ends:\n{})".format(
                    c.name, c.attrs["State"]["StartedAt"], cores_used(c), time.strftime("%H:%M:%S", time.gmtime()),
                    _last_rpc_message(log), "\n".join(events[-12:]), "\n".join(log[-6:]))
        return None
    finally:
        client.close()
