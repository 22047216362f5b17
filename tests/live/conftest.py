"""A real Clipper 0.4.1 cluster for the live tests, started once per session.

It is what clipper_admin starts: `start_clipper()` with its own images, real
model containers, real queries. Every container it starts carries SUITE_LABEL,
so teardown (also after a failure, Ctrl-C or SIGTERM) and the next run's
stale-cluster cleanup remove exactly what this suite started.
"""
import atexit
import hashlib
import io
import json
import os
import re
import signal
import tarfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import pytest

docker = pytest.importorskip("docker")
clipper_admin = pytest.importorskip("clipper_admin")
requests = pytest.importorskip("requests")

import tests.live.metric_config_lock  # noqa: E402,F401 - deploys from threads and children at once
from tests.live import early  # noqa: E402
from tests.live.background import BackgroundRuns, scenario_name  # noqa: E402
from tests.live.clipper_live import (  # noqa: E402
    DEADLOCKS, DOCKER_MISSED_OOM, LOST_RACES, RETRY_WARNING, container_state, management_frontend_state,
    query_frontend_state, wait_connected)
from tests.support import legacy_python  # noqa: E402
from tests.support.user_cache import USER_CACHE  # noqa: E402
from tests.support.strict import skip_or_fail  # noqa: E402
from troubleshoot_snippets.model_image import build_function_image, deploy_image  # noqa: E402

SUITE_LABEL = "ai.clipper.troubleshoot-guide.run"
CLUSTER = "default-cluster"
NETWORK = "clipper_network"
REGISTRY = clipper_admin.__registry__
VERSION = clipper_admin.__version__
CLUSTER_IMAGES = [
    "{}/query_frontend:{}".format(REGISTRY, VERSION),
    "{}/management_frontend:{}".format(REGISTRY, VERSION),
    "{}/frontend-exporter:{}".format(REGISTRY, VERSION),
    "redis:alpine",
    "prom/prometheus:v2.9.2",
]
# The base image the guide's build_function_image snippet names.
MODEL_BASE_IMAGE = "clipper/python36-closure-container:0.4.1"
ARCHIVE_ENV = "CLIPPER_IMAGES_ARCHIVE"
# A CA bundle for pip inside `docker build` (pkgs_to_install) on a network whose
# HTTPS goes through an intercepting proxy; see trust_ca_bundle.
CA_ENV = "CLIPPER_IMAGES_CA_BUNDLE"
CA_LABEL = "ai.clipper.troubleshoot-guide.ca-bundle"
TIMING_ENV = "LIVE_TIMING_FILE"  # scripts/live_timing.py reads the split from here
TIMINGS = defaultdict(float)
VENV_BUILDS = None  # the thread building the cached venvs, from collection on
MAIN_THREAD_DONE = [0.0]  # when the last test not in the pool ended (time.monotonic())
POOL_SECONDS = USER_CACHE / "live-pool-seconds.json"  # each background scenario's, last run: the pool's order

HERE = Path(__file__).resolve().parent
SNIPPETS = HERE.parents[1] / "troubleshoot_snippets"
MODEL_FUNCTIONS = str(SNIPPETS / "model_functions.py")
MODELS = HERE / "models"

SHARED_MODEL = "sum-model"  # ModelImages.shared_replica
# name -> {version: (module files, "module.function")}; built once per session.
SCENARIO_MODELS = {
    "sum-model": {"1": ([MODEL_FUNCTIONS], "model_functions.predict_sums")},
    "crash-model": {
        "1": ([str(MODELS / "needs_features.py")], "needs_features.predict"),
        "2": ([str(MODELS / "needs_features.py"), str(MODELS / "features.py")],
              "needs_features.predict"),
    },
    "slow-start-model": {"1": ([str(MODELS / "slow_start.py")], "slow_start.predict")},
    "slow-model": {"1": ([MODEL_FUNCTIONS], "model_functions.predict_sums_slowly")},
    "memory-model": {"1": ([str(MODELS / "allocates.py")], "allocates.predict")},
    "pkg-model": {"1": ([str(MODELS / "needs_joblib.py")], "needs_joblib.predict")},
    "string-model": {
        "1": ([MODEL_FUNCTIONS], "model_functions.predict_one_string"),
        "2": ([MODEL_FUNCTIONS], "model_functions.predict_sums_as_array"),
    },
    "scalar-model": {
        "1": ([MODEL_FUNCTIONS], "model_functions.predict_one_number"),
        "2": ([MODEL_FUNCTIONS], "model_functions.predict_sums"),
    },
}


def cluster_containers(client, cluster=CLUSTER):
    return client.containers.list(all=True, ignore_removed=True,
                                  filters={"label": "ai.clipper.container.label=" + cluster})


def remove_containers(containers, prom_config=None):
    """Force-remove `containers` and the Prometheus configs clipper_admin wrote for
    them: the one their labels name (also left by a killed run), and `prom_config`,
    which exists before the Prometheus container does."""
    configs = {c.labels.get("ai.clipper.metric.config") for c in containers} | {prom_config}
    for c in containers:
        try:
            c.remove(force=True, v=True)
        except docker.errors.NotFound:
            pass
    for path in configs - {None}:
        if os.path.isfile(path):
            os.remove(path)


def second_cluster_connection(name):
    """A ClipperConnection to a second cluster `name`, its containers labelled
    SUITE_LABEL=`name` so that remove_second_cluster finds them."""
    return clipper_admin.ClipperConnection(clipper_admin.DockerContainerManager(
        cluster_name=name, extra_container_kwargs={"labels": {SUITE_LABEL: name}}))


def remove_second_cluster(client, name, prom_config=None):
    """Remove the containers a scenario started with the label SUITE_LABEL=`name`: a
    second cluster's, and what clipper_admin deployed to it."""
    remove_containers(client.containers.list(
        all=True, filters={"label": "{}={}".format(SUITE_LABEL, name)}), prom_config)


def remove_suite_containers(client, keep=(), prom_config=None):
    """Remove what this suite started: its labelled containers, and any cluster
    container not in `keep` (the ones that existed before the session; a
    snippet's own DockerContainerManager() does not add the suite's label)."""
    found = client.containers.list(all=True, ignore_removed=True, filters={"label": SUITE_LABEL})
    found += [c for c in cluster_containers(client) if c.id not in keep]
    remove_containers(found, prom_config)


@pytest.fixture(scope="session")
def docker_client():
    try:
        client = docker.from_env(timeout=120)
        client.ping()
    except docker.errors.DockerException as e:
        where = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
        skip_or_fail("no Docker engine reachable at {} ({}). Start one (`sudo dockerd`, or "
                     "`sudo systemctl start docker`) or point DOCKER_HOST at it.".format(where, e))
    yield client
    client.close()


def missing_images(client, names):
    missing = []
    for name in names:
        try:
            client.images.get(name)
        except docker.errors.ImageNotFound:
            missing.append(name)
    return missing


@pytest.fixture(scope="session")
def clipper_images(docker_client):
    """Make sure the engine has Clipper's images: load the archive, else pull; skip if still
    missing. At the end, remove the model images the session built on them."""
    needed = CLUSTER_IMAGES + [MODEL_BASE_IMAGE]
    archive = os.environ.get(ARCHIVE_ENV)
    if archive and missing_images(docker_client, needed):
        with open(archive, "rb") as f:
            docker_client.images.load(f)
    pull_errors = []
    for name in missing_images(docker_client, needed):
        try:
            docker_client.images.pull(name)
        except docker.errors.APIError as e:
            pull_errors.append(e.explanation or str(e))
    missing = missing_images(docker_client, needed)
    if missing:
        skip_or_fail(
            "Clipper 0.4.1 images missing from the Docker engine: {}. Pull them (`docker pull "
            "IMAGE`) or load a `docker save` archive by setting {}=/path/to/images.tar. "
            "Pulling failed: {}".format(", ".join(missing), ARCHIVE_ENV, (pull_errors or ["-"])[0][:200]))
    if os.environ.get(CA_ENV):
        trust_ca_bundle(docker_client, MODEL_BASE_IMAGE, os.environ[CA_ENV])
    built = BuiltOnBase(docker_client, MODEL_BASE_IMAGE)
    yield needed
    started = time.monotonic()
    built.remove()
    TIMINGS["teardown"] += time.monotonic() - started


class BuiltOnBase:
    """What is built on `base` from now on, by any process: model images, their build steps
    and the stopped containers of those steps (docker-py builds with rm=False). Else every
    run leaves them behind. An image whose tag a later build took counts too."""

    def __init__(self, client, base):
        self._client, self._base = client, client.images.get(base)
        self._images = {image.id: bool(image.tags) for image in client.images.list(all=True)}
        self._containers = {c.id for c in client.containers.list(all=True)}

    def remove(self):
        for c in self._client.containers.list(all=True, filters={
                "ancestor": self._base.id, "status": ["created", "exited"]}):
            if c.id not in self._containers and "ai.clipper.container.label" not in c.labels:
                c.remove(force=True, v=True)  # a build step; a stopped model container may be a user cluster's
        pending = [image_id for image_id in self._new_images() if self._built_on_base(image_id)]
        while pending:
            left = []
            for image_id in pending:
                try:
                    self._client.images.remove(image_id, force=True)
                except docker.errors.NotFound:
                    pass  # an untagged parent, removed with its last child
                except docker.errors.APIError as e:
                    if e.status_code != 409:
                        raise
                    left.append(image_id)  # a child image or a container uses it
            if len(left) == len(pending):
                break  # used by something not built here
            pending = left

    def _new_images(self):
        for image in self._client.images.list(all=True):
            if image.id not in self._images or (self._images[image.id] and not image.tags):
                yield image.id

    def _built_on_base(self, image_id):
        base = self._base.attrs["RootFS"]["Layers"]
        try:
            layers = self._client.images.get(image_id).attrs["RootFS"]["Layers"]
        except docker.errors.NotFound:
            return False
        return image_id != self._base.id and layers[:len(base)] == base


def trust_ca_bundle(client, image, bundle):
    """Rebuild `image` under its own tag with `bundle` as its CA bundle, as a user behind
    a TLS-intercepting proxy must for pip in build_model's `docker build`. Idempotent."""
    data = Path(bundle).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if client.images.get(image).labels.get(CA_LABEL) == digest:
        return
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as tar:
        for name, body in [("ca.crt", data), ("Dockerfile", "FROM {}\nCOPY ca.crt /etc/ssl/certs/ca-certificates.crt\n"
                                                           "LABEL {}={}\n".format(image, CA_LABEL, digest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    context.seek(0)
    client.images.build(fileobj=context, custom_context=True, tag=image, rm=True)


@pytest.fixture(scope="session")
def clipper_conn(docker_client, clipper_images):
    """A connected ClipperConnection to a cluster started for this session."""
    remove_suite_containers(docker_client, keep={c.id for c in cluster_containers(docker_client)})
    foreign = docker_client.containers.list(filters={"label": "ai.clipper.container.label=" + CLUSTER})
    if foreign:
        skip_or_fail("a Clipper cluster named {} that this suite did not start is running ({}); "
                    "stop it (ClipperConnection(DockerContainerManager()).stop_all()) so the "
                    "live tests can start their own".format(CLUSTER, ", ".join(c.name for c in foreign)))
    if VENV_BUILDS:  # the scenarios before the pool need an idle machine
        started = time.monotonic()
        VENV_BUILDS.join()
        TIMINGS["venv builds waited for"] += time.monotonic() - started
    had_network = bool(docker_client.networks.list(names=[NETWORK]))
    before = {c.id for c in cluster_containers(docker_client)}

    manager = clipper_admin.DockerContainerManager(
        cluster_name=CLUSTER,
        extra_container_kwargs={"labels": {SUITE_LABEL: uuid.uuid4().hex}})

    def teardown():
        remove_suite_containers(docker_client, keep=before,
                                prom_config=getattr(manager, "prom_config_path", None))
        if not had_network:
            for net in docker_client.networks.list(names=[NETWORK]):
                net.reload()
                if not net.containers:
                    net.remove()

    atexit.register(teardown)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    conn = clipper_admin.ClipperConnection(manager)
    try:
        started = time.monotonic()
        conn.start_clipper()
        TIMINGS["cluster start"] += time.monotonic() - started
        yield conn
    finally:
        stopping = time.monotonic()
        teardown()
        TIMINGS["teardown"] += time.monotonic() - stopping
        atexit.unregister(teardown)
        signal.signal(signal.SIGTERM, previous)


def waited_container_state(name):
    """container_state of the container clipper_admin waited for, by name."""
    client = docker.from_env(timeout=60)
    try:
        return container_state(client.containers.get(name))
    except docker.errors.NotFound:
        return "{} is gone".format(name)
    finally:
        client.close()


def _interrupt(signum, frame):
    # SIGTERM (CI timeouts, `kill`) unwinds like Ctrl-C, so fixture teardown runs.
    raise KeyboardInterrupt("SIGTERM")


class ModelImages:
    """Every scenario's model image, built on first use, once, from any thread:
    images[name, version] is the image name to deploy."""

    def __init__(self, clipper_conn):
        self._conn = clipper_conn
        self._lock = threading.Lock()
        self._locks = {}
        self._built = {}
        self._shared = None

    def shared_replica(self):
        """SHARED_MODEL, version 1 of the sum model, deployed on the session's cluster on first
        use and connected. Scenarios that only need a model that answers link their own app to
        it: one container, not one each (a replica's start costs about 3 CPU-s)."""
        with self._lock:
            lock = self._locks.setdefault(SHARED_MODEL, threading.Lock())
        with lock:
            if self._shared is None:
                deploy_image(self._conn, SHARED_MODEL, "1", self["sum-model", "1"])
                wait_connected(self._conn, SHARED_MODEL)
                self._shared = SHARED_MODEL
            return self._shared

    def __getitem__(self, key):
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._built:
                name, version = key
                modules, function = SCENARIO_MODELS[name][version]
                started = time.monotonic()
                self._built[key] = build_function_image(self._conn, name, version, modules, function)
                TIMINGS["image builds"] += time.monotonic() - started
            return self._built[key]


@pytest.fixture(scope="session")
def model_images(clipper_conn):
    return ModelImages(clipper_conn)


@pytest.fixture(scope="session")
def background_runs(request, clipper_conn, model_images, docker_client):
    """Start every selected @background scenario now; tests collect their results."""
    try:
        expected = json.loads(POOL_SECONDS.read_text())
    except (OSError, ValueError):
        expected = {}
    runs = BackgroundRuns(request.session.items, CLUSTER, SUITE_LABEL, model_images,
                          lambda name: remove_containers(cluster_containers(docker_client, name)), expected)
    TIMINGS["cluster start"] += runs.own_clusters_started_in
    TIMINGS["scenario parts before the pool"] += runs.before_pool_in
    for key, seconds in runs.before_pool.items():
        TIMINGS["before pool:" + scenario_name(key)] = seconds
    yield runs
    runs.close()
    seconds = runs.seconds()
    for key in seconds:
        TIMINGS["thread:" + scenario_name(key)] = seconds[key]
    try:
        POOL_SECONDS.parent.mkdir(parents=True, exist_ok=True)
        POOL_SECONDS.write_text(json.dumps(dict(expected, **runs.pool_seconds())))
    except OSError:
        pass  # the next run orders the pool as the first did
    TIMINGS["span"] = {scenario_name(key): span for key, span in runs.span.items()}
    TIMINGS["main thread ended"] = MAIN_THREAD_DONE[0] - runs.pool_started
    # SUITE_LABEL's value -> scenario, for live_timing.py: a scenario's own containers
    # carry its name, those of its own cluster the cluster's name
    TIMINGS["owners"] = dict({scenario_name(key): scenario_name(key) for key in seconds},
                             **{cluster: scenario_name(key) for key, cluster in runs.own_clusters.items()})
    TIMINGS["session cluster"] = CLUSTER


@pytest.fixture(autouse=True)
def _start_background_scenarios(request):
    # The first test on the cluster starts the slow scenarios, so the rest of
    # the suite runs while they wait on Clipper.
    if "clipper_conn" in request.fixturenames and not request.node.get_closest_marker("before_background"):
        request.getfixturevalue("background_runs")


def pytest_collection_finish(session):
    # Started now, the venvs build while CI's fresh-machine part leaves the host's CPU half
    # idle, instead of in the live tests that ask for them, amid the background scenarios.
    global VENV_BUILDS
    if any(HERE in Path(str(item.path)).parents for item in session.items):
        from tests.live.test_importing import IMPORT_RESULT  # a venv of each Python it covers
        VENV_BUILDS = legacy_python.build_in_background(IMPORT_RESULT)
        early.start(session.items)


def pytest_collection_modifyitems(items):
    """Within tests/live (other folders keep their place): tests that need an idle
    cluster first, then the other tests on the cluster (the first one starts the
    background scenarios), then the ones without it, then the background scenarios' results."""
    def rank(item):
        names = getattr(item, "fixturenames", ())
        if item.get_closest_marker("before_background"):
            return -1
        if "background_runs" in names:
            return 2
        return 0 if "clipper_conn" in names else 1
    live = [i for i, item in enumerate(items) if HERE in Path(str(item.path)).parents]
    for i, item in zip(live, sorted((items[i] for i in live), key=rank)):
        items[i] = item


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # A failed live test says what its cluster's query frontend did last.
    report = (yield).get_result()
    if call.when == "call" and not hasattr(getattr(item, "function", None), "background_key"):
        MAIN_THREAD_DONE[0] = time.monotonic()  # for live_timing.py: when the main thread's own tests ended
    if report.when == "call" and report.failed and HERE in Path(str(item.path)).parents:
        # The failure may be that no engine answers: a report helper must not crash pytest then.
        try:
            cluster = getattr(item.function, "own_cluster", None) or CLUSTER
            state = query_frontend_state(cluster)
            if state:
                report.sections.append(("Clipper's query frontend", state))
            failed = call.excinfo and call.excinfo.value
            request = getattr(failed, "request", None) if isinstance(failed, requests.RequestException) else None
            if request is not None and "/admin/" in request.url:
                report.sections.append(("Clipper's management frontend", management_frontend_state(cluster)))
            # the exception's own text: the traceback also shows clipper_admin's source line "{} container ..."
            waited = call.excinfo and re.search(r"(\S+) " + RETRY_WARNING, str(call.excinfo.value))
            if waited:
                report.sections.append(("The container clipper_admin waited for",
                                        waited_container_state(waited.group(1))))
        except docker.errors.DockerException as e:
            report.sections.append(("Clipper's query frontend", "(could not ask Docker: {})".format(e)))


def pytest_runtest_logreport(report):
    # Setup of the first test includes the session fixtures, timed above.
    if report.when == "call" and "live" in report.keywords:
        TIMINGS["scenarios"] += report.duration
        TIMINGS["scenario:" + report.nodeid.split("::")[-1]] = report.duration


def pytest_terminal_summary(terminalreporter):
    if DEADLOCKS:
        terminalreporter.write_line("ucbrise/clipper#758: the query frontend deadlocked and the guide's restart "
                                    "cleared it on: " + ", ".join(DEADLOCKS) + "; the doctor said so too; its "
                                    "logs are kept in build/live-outputs/deadlocked/")
    if LOST_RACES:
        terminalreporter.write_line("races with Docker lost and tried again: " + "; ".join(LOST_RACES))
    if DOCKER_MISSED_OOM:
        terminalreporter.write_line("killed for memory, State.OOMKilled false (docs/model-containers.md#oom-killed): "
                                    + ", ".join(DOCKER_MISSED_OOM))


def pytest_sessionfinish(session):
    if os.environ.get(TIMING_ENV):
        with open(os.environ[TIMING_ENV], "w") as f:
            json.dump(TIMINGS, f, indent=1)
