"""The doctor's checks: the cluster, each application, the versions.

Each check calls the guide's snippet functions (troubleshoot_snippets/*.py)
where the guide has one, so the doctor and the pages cannot disagree.
"""
import contextlib
import io
import os

from troubleshoot_snippets import default_predictions as guide
from troubleshoot_snippets.doctor import entries as E
from troubleshoot_snippets.doctor.report import NOTE, OK, PROBLEM, UNCHECKED, Finding

CLUSTER_LABEL = "ai.clipper.container.label"
MODEL_LABEL = "ai.clipper.model_container.label"
# clipper_admin 0.4.1's container names: <prefix><random number>
FRONTENDS = [("query frontend", "query_frontend-"), ("management frontend", "mgmt_frontend-"),
             ("Redis", "redis-"), ("query frontend exporter", "query_frontend_exporter-"),
             ("Prometheus", "metric_frontend-")]
LOG_TAIL = 30  # as the guide's `docker logs --tail 30`


def quietly(snippet, *args):
    """Run a guide snippet function without letting it print."""
    with contextlib.redirect_stdout(io.StringIO()):
        return snippet(*args)


def exception_line(e):
    """An exception as the last line of its traceback reads."""
    cls = type(e)
    module = "" if cls.__module__ == "builtins" else cls.__module__ + "."
    return "{}{}: {}".format(module, cls.__qualname__, e)


def from_text(scope, check, status, text, fallback=None):
    """A finding for an error text: the entry of the guide's symptom it shows, else `fallback`."""
    symptom = E.symptom_in(text)
    if symptom:
        return Finding(scope, check, status, text, E.of_symptom(symptom), symptom.text)
    return Finding(scope, check, status, text, fallback)


def memory_limit(attrs):
    """A container's HostConfig.Memory as people write it: "256 MiB", or "no limit" for 0."""
    limit = attrs.get("HostConfig", {}).get("Memory") or 0
    if not limit:
        return "no limit"
    for unit, size in (("GiB", 2 ** 30), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if limit % size == 0:
            return "{} {}".format(limit // size, unit)
    return "{:.1f} MiB".format(limit / 2 ** 20)


def from_log(scope, check, container, summary, fallback=None):
    """A problem finding for a stopped container (see why_stopped)."""
    return why_stopped(scope, check, container.attrs, log_tail(container), summary, fallback)


def why_stopped(scope, check, attrs, tail, summary, fallback=None):
    """A problem finding for a stopped container from Docker's `attrs` of it and its log's
    last lines: killed for memory, else what the log shows."""
    # the kernel's kill leaves only the shell's "Killed" in the log; Docker records it in
    # State.OOMKilled, which Docker 20.10.24 left false for one such kill here
    limit = memory_limit(attrs)
    if attrs.get("State", {}).get("OOMKilled"):
        return Finding(scope, check, PROBLEM, summary + "; killed for memory: Docker's State.OOMKilled "
                       "is true, its memory limit (HostConfig.Memory) {}".format(limit), E.OOM_KILLED, None, tail)
    if limit != "no limit" and "Killed" in (line.strip() for line in tail[-2:]):
        return Finding(scope, check, PROBLEM, summary + "; its Python was killed (the log ends with the shell's "
                       "`Killed`) under a memory limit (HostConfig.Memory) of {}: most likely for memory, "
                       "although Docker's State.OOMKilled is false".format(limit), E.OOM_KILLED, None, tail)
    symptom = E.symptom_in("\n".join(tail))
    if symptom:
        return Finding(scope, check, PROBLEM, summary + "; its log shows a symptom of the guide",
                       E.of_symptom(symptom), symptom.text, tail)
    return Finding(scope, check, PROBLEM, summary + "; its log matches no symptom text of the guide",
                   fallback, None, tail)


def log_tail(container):
    """The last LOG_TAIL lines of a container's log, stdout and stderr as Docker interleaves them."""
    import docker
    try:
        text = container.logs(stdout=True, stderr=True, tail=LOG_TAIL).decode("utf-8", "replace")
    except docker.errors.NotFound:
        return ["(the container was removed before its log could be read)"]
    return text.splitlines()


# ---- the cluster ---------------------------------------------------------------------------

def engine():
    """(docker client or None, finding)."""
    import docker
    where = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        client = docker.from_env(timeout=10)
        version = client.version()["Version"]
    except Exception as e:  # docker-py raises DockerException, requests errors or OSError
        return None, from_text("cluster", "engine reachable", UNCHECKED,
                               "{}: {}".format(where, exception_line(e)), E.ENGINE_UNREACHABLE)
    return client, Finding("cluster", "engine reachable", OK, "Docker {} at {}".format(version, where))


def cluster_containers(client, cluster):
    # ignore_removed: a container removed between Docker's list and its inspect is just gone
    return client.containers.list(all=True, ignore_removed=True,
                                  filters={"label": "{}={}".format(CLUSTER_LABEL, cluster)})


def clusters_on_engine(client):
    """{cluster name: number of containers} from the ai.clipper.container.label values."""
    names = {}
    for c in client.containers.list(all=True, ignore_removed=True, filters={"label": CLUSTER_LABEL}):
        name = c.labels.get(CLUSTER_LABEL)
        names[name] = names.get(name, 0) + 1
    return names


def no_such_cluster(client, cluster):
    """The finding when no container carries the cluster's name: which clusters there are."""
    names = clusters_on_engine(client)
    if not names:
        return Finding("cluster", "cluster exists", UNCHECKED,
                       "no container is labelled {}={}, and the engine has no Clipper container at "
                       "all: no cluster is running here".format(CLUSTER_LABEL, cluster), E.NO_CLUSTER)
    listed = "; ".join("{} ({} containers): python -m troubleshoot_snippets.doctor --cluster {}".format(
        name, n, name) for name, n in sorted(names.items()))
    return Finding("cluster", "cluster exists", UNCHECKED,
                   "no container is labelled {}={}; the clusters on this engine: {}".format(
                       CLUSTER_LABEL, cluster, listed), E.OTHER_CLUSTER)


def stopped(containers, cluster):
    """A finding when none of the cluster's containers runs (after a reboot or a Docker restart)."""
    if not containers or any(c.status == "running" for c in containers):
        return None
    states = sorted("{} {} ({})".format(c.name, c.status, c.attrs["State"].get("ExitCode"))
                    for c in containers)
    return Finding("cluster", "cluster running", PROBLEM, "cluster {} is stopped: none of its {} "
                   "containers runs: {}".format(cluster, len(containers), ", ".join(states)),
                   E.STOPPED_CLUSTER)


def frontends(containers, cluster, client=None):
    """One finding per frontend container (query, management, Redis, exporter, Prometheus)."""
    if not containers:
        if client is not None:
            return [no_such_cluster(client, cluster)]
        return [Finding("cluster", "cluster exists", UNCHECKED,
                        "no container is labelled {}={}: no cluster of that name on this engine "
                        "(--cluster names another)".format(CLUSTER_LABEL, cluster), E.NO_CLUSTER)]
    found = [] if stopped(containers, cluster) is None else [stopped(containers, cluster)]
    if found:
        return found
    others = [c for c in containers if MODEL_LABEL not in c.labels]
    for kind, prefix in FRONTENDS:
        mine = [c for c in others if c.name.startswith(prefix)]
        if not mine:
            found.append(Finding("cluster", kind, PROBLEM, "no {}* container in the cluster".format(prefix)))
        for c in mine:
            if c.status == "running":
                found.append(Finding("cluster", kind, OK, "{} running".format(c.name)))
            else:
                found.append(from_log("cluster", kind, c, "{} is {} (exit code {})".format(
                    c.name, c.status, c.attrs["State"].get("ExitCode"))))
    return found


RPC_QUIET = 20  # s: connected replicas heartbeat every 5 s, which the RPC thread logs
REMOVING = "[CONTAINERS] Removing container"
RPC_MESSAGE = "[RPC] Found message to receive"
# delete_queue of a dropped replica: a healthy frontend logs the second line (once per thread
# pool) within milliseconds of the first; in the deadlocked logs in tests/static/data it never came
INTERRUPTED = "[THREADPOOL] Thread is interrupted for model "
DESTROYED = "[THREADPOOL] Work queue destroyed for model "


def docker_time(stamp):
    """Docker's "2026-11-26T05:01:31.72612345Z" in seconds since the epoch."""
    import calendar
    import time
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) + float("0." + (fraction or "0"))


def _plain(line):
    """A log line without Docker's stamp and the query frontend's colour codes."""
    import re
    return re.sub(r"\x1b\[[0-9;]*m", "", line.split(" ", 1)[-1]).strip()


def deadlock_signature(log_lines, now, replicas_started):
    """(`Removing container` line, what shows the deadlock) of ucbrise/clipper#758 in a
    timestamped (`docker logs -t`) query frontend log, else None. Either the removal is
    stuck: `Thread is interrupted for model M, replica R` is over RPC_QUIET s old and no `Work
    queue destroyed for model M, replica R` came after it; or (as the live tests decide) the RPC
    thread has logged no message for RPC_QUIET s after the removal although a model container
    has run for longer (it blocked when that container connected). One pass over the lines, so
    a whole log can be streamed."""
    removing = None  # the last `Removing container` line so far
    pending = {}  # "m:v, replica r" -> (stamp of its interrupt, the removal before it), until destroyed
    last_rpc = None
    for line in log_lines:
        if REMOVING in line:
            removing = line
        elif INTERRUPTED in line:
            pending[line.split(INTERRUPTED, 1)[1].strip()] = (line.split(" ", 1)[0], removing)
        elif DESTROYED in line:
            pending.pop(line.split(DESTROYED, 1)[1].strip(), None)
        elif RPC_MESSAGE in line:
            last_rpc = line.split(" ", 1)[0]
    if removing is None:
        return None
    stuck = sorted((stamp, key, before) for key, (stamp, before) in pending.items()
                   if now - docker_time(stamp) > RPC_QUIET)
    if stuck:
        stamp, key, before = stuck[0]
        return _plain(before or removing), ("its removal of {} stopped after `Thread is interrupted`: no "
                                            "`Work queue destroyed` for it in {:.0f} s".format(
                                                key, now - docker_time(stamp)))
    if last_rpc and now - docker_time(last_rpc) > RPC_QUIET and any(now - t > RPC_QUIET for t in replicas_started):
        return _plain(removing), ("its RPC thread has been silent for over {} s while a model container "
                                  "runs".format(RPC_QUIET))
    return None


def log_lines(chunks):
    """The lines of a log streamed in chunks of bytes (a line may span chunks)."""
    rest = b""
    for chunk in chunks:
        rest += chunk
        *whole, rest = rest.split(b"\n")
        for line in whole:
            yield line.decode("utf-8", "replace")
    if rest:
        yield rest.decode("utf-8", "replace")


def logged_since(lines, since):
    """The timestamped lines logged at or after `since` (Docker's own `since` is in whole seconds)."""
    for line in lines:
        try:
            if docker_time(line.split(" ", 1)[0]) < since:
                continue
        except ValueError:  # not a stamp: keep what cannot be placed
            pass
        yield line


def frontend_deadlock(containers):
    """The query frontend's whole log against the #758 signature (the signs of a deadlocked
    frontend under traffic scroll out of a tail within minutes)."""
    import time
    import docker
    query = [c for c in containers if c.name.startswith("query_frontend-") and c.status == "running"]
    if not query:
        return []
    started = [docker_time(c.attrs["State"]["StartedAt"]) for c in containers
               if MODEL_LABEL in c.labels and c.status == "running"]
    now = time.time()  # before reading: a line logged meanwhile is not older than it looks
    # Since its last start only: the guide's fix restarts it, and `docker restart` keeps the log
    # of the deadlocked run before it.
    since = docker_time(query[0].attrs["State"]["StartedAt"])
    try:
        # follow=False: docker-py follows a streamed log unless told not to
        chunks = query[0].logs(stdout=True, stderr=True, timestamps=True, stream=True, follow=False,
                               since=int(since))
        return [deadlock_finding(query[0].name, logged_since(log_lines(chunks), since), now, started)]
    except docker.errors.APIError as e:
        return [Finding("cluster", "query frontend deadlock", UNCHECKED, "could not check: its log "
                        "could not be read: {}".format(exception_line(e)))]


def deadlock_finding(frontend_name, log_lines, now, replicas_started):
    """The finding on a query frontend's timestamped log read at `now` (see deadlock_signature)."""
    found = deadlock_signature(log_lines, now, replicas_started)
    if found is None:
        return Finding("cluster", "query frontend deadlock", OK, "no ucbrise/clipper#758 signature "
                       "in {}'s log".format(frontend_name))
    line, why = found
    symptom = E.symptom_in(line)
    return Finding("cluster", "query frontend deadlock", PROBLEM, "{} logged `{}` and {}: deadlocked "
                   "(ucbrise/clipper#758)".format(frontend_name, line, why),
                   E.of_symptom(symptom) if symptom else E.FRONTEND_DEADLOCK,
                   symptom.text if symptom else None)


def default_host():
    """The host of DOCKER_HOST when it is tcp://, else localhost: where the ports are published."""
    from urllib.parse import urlparse
    where = os.environ.get("DOCKER_HOST", "")
    return (urlparse(where).hostname or "localhost") if where.startswith("tcp://") else "localhost"


def connect(cluster, host="localhost"):
    """(clipper_conn or None, finding): connected the way the guide's `connect` snippet does."""
    try:
        from clipper_admin import ClipperConnection, DockerContainerManager
    except Exception:  # not installed (clipper-doctor), or cloudpickle 0.5.3 on Python 3.8+
        from troubleshoot_snippets.doctor.rest import ClipperConnection, DockerContainerManager
    try:
        clipper_conn = ClipperConnection(DockerContainerManager(cluster_name=cluster,
                                                                docker_ip_address=host))
        clipper_conn.connect()
    except Exception as e:
        return None, from_text("cluster", "connect", UNCHECKED, exception_line(e))
    return clipper_conn, None


def addresses(clipper_conn):
    """The query address, Redis, and the management frontend's /admin/ping."""
    import redis
    import requests
    found = []
    addr = clipper_conn.get_query_addr()
    if addr.rsplit(":", 1)[-1] == "1337":
        found.append(Finding("cluster", "query address", OK, addr))
    else:
        found.append(Finding("cluster", "query address", NOTE, "{}: not 1337; build query URLs from "
                             "clipper_conn.get_query_addr()".format(addr), E.PORT_TAKEN))
    cm = clipper_conn.cm
    try:
        redis.Redis(host=cm.public_hostname, port=int(cm.redis_port), socket_timeout=5,
                    socket_connect_timeout=5).ping()
        found.append(Finding("cluster", "Redis reachable", OK, "{}:{} answers PING".format(
            cm.public_hostname, cm.redis_port)))
    except Exception as e:
        found.append(Finding("cluster", "Redis reachable", PROBLEM, "{}:{}: {}".format(
            cm.public_hostname, cm.redis_port, exception_line(e))))
    url = "http://{}/admin/ping".format(cm.get_admin_addr())
    try:
        body = requests.get(url, timeout=5).text
        ok = "PONG" in body
        found.append(Finding("cluster", "management reachable", OK if ok else PROBLEM,
                             "{} answers {}".format(url, body.strip()[:80])))
    except Exception as e:
        found.append(Finding("cluster", "management reachable", PROBLEM,
                             "{}: {}".format(url, exception_line(e))))
    return found


def orphans(containers, models):
    """Exited model containers of models never registered: a deploy that waited on them."""
    registered = {"{}_{}".format(m["model_name"], m["model_version"]) for m in models}
    found = []
    for c in containers:
        label = c.labels.get(MODEL_LABEL)
        if label and label not in registered and c.status == "exited":
            found.append(from_log("cluster", "unregistered model container", c,
                                  "{} ({}) exited and its model is not registered".format(c.name, label),
                                  E.DEPLOY_WAITS))
    return found


# ---- each application ----------------------------------------------------------------------

class ClusterState:
    """What every app check needs, asked once: apps, models, connected replicas, containers."""

    def __init__(self, clipper_conn, containers):
        self.clipper_conn = clipper_conn
        self.containers = containers
        self.apps = clipper_conn.get_all_apps(verbose=True)
        self.models = clipper_conn.get_all_models(verbose=True)
        self.connected = {(r["model_name"], str(r["model_version"]))
                          for r in clipper_conn.get_all_model_replicas(verbose=True)}

    def current_version(self, model_name):
        versions = [m for m in self.models if m["model_name"] == model_name]
        current = [m for m in versions if m.get("is_current_version")]
        return str((current or versions)[-1]["model_version"]) if versions else None

    def model_containers(self, model_name, version):
        label = "{}_{}".format(model_name, version)
        return [c for c in self.containers if c.labels.get(MODEL_LABEL) == label]


def defaults(state, app_name):
    """(queries that got the default, queries) since the query frontend started, or None."""
    try:
        return quietly(guide.defaults_count, state.clipper_conn, app_name)
    except (KeyError, ValueError, TypeError):  # no counter for the app in inspect_instance()
        return None


def check_app(state, app_name):
    """The findings for one application; one OK (or note) line when it is healthy."""
    found = _check_app(state, app_name)
    counted = defaults(state, app_name)
    scope = "app " + app_name
    if counted is None:
        note = Finding(scope, "queries that got the default", NOTE, "could not check: inspect_instance() "
                       "has no num_predictions or default_prediction_ratio for the app", E.DEFAULTS_COUNT)
    else:
        text = "{} of {} queries got the default since the query frontend started".format(*counted)
        if len(found) == 1 and found[0].status == OK and found[0].check == "app":
            found[0].summary = found[0].summary[:-1] + "; {})".format(text)
            if counted[0]:
                found[0].status, found[0].entry = NOTE, E.DEFAULTS_COUNT
            return found
        # a note: the findings after it say why (and the live scenarios read the last problem)
        note = Finding(scope, "queries that got the default", NOTE, text, E.DEFAULTS_COUNT)
    return [note] + found


def _check_app(state, app_name):
    clipper_conn, scope = state.clipper_conn, "app " + app_name
    found = []
    linked = quietly(guide.linked_models, clipper_conn, app_name)
    if not linked:
        return [Finding(scope, "linked model", PROBLEM, "get_linked_models() returned []: no model "
                        "is linked, queries get the default", E.MODEL_NOT_LINKED)]
    model = linked[0]
    version = state.current_version(model)
    mine = state.model_containers(model, version) if version else []
    if version is None:
        exited = [c for c in state.containers if (c.labels.get(MODEL_LABEL) or "").startswith(model + "_")
                  and c.status == "exited"]
        if exited:
            return [from_log(scope, "linked model", exited[0], "{} is linked but has no registered "
                             "version; its container {} exited".format(model, exited[0].name),
                             E.DEPLOY_WAITS)]
        return [Finding(scope, "linked model", PROBLEM, "{} is linked but no version of it is "
                        "registered (deploy it)".format(model))]
    found.append(Finding(scope, "linked model", OK, "{}:{}".format(model, version)))

    running = quietly(guide.num_replicas, clipper_conn, model, version)
    if running == 0:
        found.append(Finding(scope, "replicas running", PROBLEM, "get_num_replicas(name={!r}, version={!r}) "
                             "is 0: no replica of {}:{} is running".format(model, version, model, version),
                             E.NOT_RUNNING))
        exited = [c for c in mine if c.status != "running"]
        if not exited:
            found[-1].summary += "; no container of it exists (stopped and removed?)"
        for c in exited[:3]:
            found.append(from_log(scope, "exited container", c, "{} is {}".format(c.name, c.status)))
        return found
    found.append(Finding(scope, "replicas running", OK, "{} of {}:{}".format(running, model, version)))

    if (model, version) not in state.connected:
        found.append(Finding(scope, "connected replicas", PROBLEM, "{} replica(s) running but none "
                             "connected (get_all_model_replicas): still initializing".format(running),
                             E.INITIALIZING))
        return found
    found.append(Finding(scope, "connected replicas", OK, "{}:{} connected".format(model, version)))

    slo, latencies = quietly(guide.latency_against_slo, clipper_conn, app_name, model, version)
    latency = latencies.get("model:{}:{}:prediction_latency".format(model, version))
    found.append(latency_finding(scope, slo, latency))
    if found[-1].status != OK:
        return found
    return [Finding(scope, "app", OK, "OK ({}:{}, {} replica(s) connected, {}, SLO {} us)".format(
        model, version, running, measured(latency), slo))]


def measured(latency):
    if not latency or not latency["mean"]:  # no histogram yet, or an empty one (size 0)
        return "no prediction measured yet"
    return "mean {mean:.0f} us, p50 {p50:.0f} us".format(**latency)


def latency_finding(scope, slo, latency):
    """The model's latency ({"mean", "p50"} in us, or None) against the app's SLO: a problem when
    most predictions (the median) miss it. A mean above it with the median below is a few slow
    predictions, such as the first ones after a cluster restarted on a busy machine."""
    mean, p50 = (latency["mean"], latency["p50"]) if latency else (0.0, 0.0)
    if p50 > slo:
        return Finding(scope, "latency vs SLO", PROBLEM, "model latency {}: the p50 is above the app's SLO "
                       "of {} us".format(measured(latency), slo), E.SLO_TOO_LOW)
    if mean > slo:
        return Finding(scope, "latency vs SLO", NOTE, "model latency {}: the mean is above the app's SLO "
                       "of {} us, the p50 below it: a few predictions took longer than the SLO".format(
                           measured(latency), slo), E.SLO_TOO_LOW)
    return Finding(scope, "latency vs SLO", OK, "{}, SLO {} us".format(measured(latency), slo))


def one_query(clipper_conn, app_name, x):
    """--query: one query of the user's input through the guide's `query` snippet."""
    import requests
    scope = "app " + app_name
    try:
        response = quietly(guide.query, clipper_conn, app_name, x)
    except requests.exceptions.RequestException as e:
        return from_text(scope, "one query", PROBLEM, "{}: {}".format(x, exception_line(e)))
    text = "{} -> HTTP {} {}".format(x, response.status_code, response.text.strip()[:300])
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code == 200 and body.get("default") is False:
        return Finding(scope, "one query", OK, text)
    if response.status_code == 200 and body.get("default") is True:
        return from_text(scope, "one query", PROBLEM, text + " (the default)")
    return from_text(scope, "one query", PROBLEM, text)
