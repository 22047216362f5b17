"""A real Clipper 0.4.1 cluster for the live tests, started once per session.

It is what clipper_admin starts: `start_clipper()` with its own images, real
model containers, real queries. Every container it starts carries SUITE_LABEL,
so teardown (also after a failure, Ctrl-C or SIGTERM) and the next run's
stale-cluster cleanup remove exactly what this suite started.
"""
import atexit
import json
import os
import signal
import time
import uuid
from collections import defaultdict
from pathlib import Path

import pytest

docker = pytest.importorskip("docker")
clipper_admin = pytest.importorskip("clipper_admin")

from troubleshoot_snippets.model_image import build_function_image  # noqa: E402

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
TIMING_ENV = "LIVE_TIMING_FILE"  # scripts/live_timing.py reads the split from here
TIMINGS = defaultdict(float)

HERE = Path(__file__).resolve().parent
SNIPPETS = HERE.parents[1] / "troubleshoot_snippets"
MODEL_FUNCTIONS = str(SNIPPETS / "model_functions.py")
MODELS = HERE / "models"

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
    "pkg-model": {"1": ([str(MODELS / "needs_joblib.py")], "needs_joblib.predict")},
    "scalar-model": {
        "1": ([MODEL_FUNCTIONS], "model_functions.predict_one_number"),
        "2": ([MODEL_FUNCTIONS], "model_functions.predict_sums"),
    },
}


def cluster_containers(client):
    return client.containers.list(all=True, filters={"label": "ai.clipper.container.label=" + CLUSTER})


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


def remove_suite_containers(client, keep=(), prom_config=None):
    """Remove what this suite started: its labelled containers, and any cluster
    container not in `keep` (the ones that existed before the session; a
    snippet's own DockerContainerManager() does not add the suite's label)."""
    found = client.containers.list(all=True, filters={"label": SUITE_LABEL})
    found += [c for c in cluster_containers(client) if c.id not in keep]
    remove_containers(found, prom_config)


@pytest.fixture(scope="session")
def docker_client():
    try:
        client = docker.from_env(timeout=60)
        client.ping()
    except docker.errors.DockerException as e:
        where = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
        pytest.skip("no Docker engine reachable at {} ({}). Start one (`sudo dockerd`, or "
                    "`sudo systemctl start docker`) or point DOCKER_HOST at it.".format(where, e))
    yield client
    client.close()


@pytest.fixture(scope="session")
def clipper_images(docker_client):
    """Make sure the engine has Clipper's images: load the archive, else pull; skip if still missing."""
    archive = os.environ.get(ARCHIVE_ENV)
    if archive:
        with open(archive, "rb") as f:
            docker_client.images.load(f)
    needed = CLUSTER_IMAGES + [MODEL_BASE_IMAGE]
    missing, pull_errors = [], []
    for name in needed:
        try:
            docker_client.images.get(name)
            continue
        except docker.errors.ImageNotFound:
            pass
        try:
            docker_client.images.pull(name)
        except docker.errors.APIError as e:
            missing.append(name)
            pull_errors.append(e.explanation or str(e))
    if missing:
        pytest.skip(
            "Clipper 0.4.1 images missing from the Docker engine: {}. Pull them (`docker pull "
            "IMAGE`) or load a `docker save` archive by setting {}=/path/to/images.tar. "
            "Pulling failed: {}".format(", ".join(missing), ARCHIVE_ENV, pull_errors[0][:200]))
    return needed


@pytest.fixture(scope="session")
def clipper_conn(docker_client, clipper_images):
    """A connected ClipperConnection to a cluster started for this session."""
    remove_suite_containers(docker_client, keep={c.id for c in cluster_containers(docker_client)})
    foreign = docker_client.containers.list(filters={"label": "ai.clipper.container.label=" + CLUSTER})
    if foreign:
        pytest.skip("a Clipper cluster named {} that this suite did not start is running ({}); "
                    "stop it (ClipperConnection(DockerContainerManager()).stop_all()) so the "
                    "live tests can start their own".format(CLUSTER, ", ".join(c.name for c in foreign)))
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


def _interrupt(signum, frame):
    # SIGTERM (CI timeouts, `kill`) unwinds like Ctrl-C, so fixture teardown runs.
    raise KeyboardInterrupt("SIGTERM")


@pytest.fixture(scope="session")
def model_images(clipper_conn):
    """Every scenario's model image, built once: {(name, version): image}."""
    started = time.monotonic()
    images = {}
    for name, versions in SCENARIO_MODELS.items():
        for version, (modules, function) in versions.items():
            images[name, version] = build_function_image(clipper_conn, name, version, modules, function)
    TIMINGS["image builds"] += time.monotonic() - started
    return images


def pytest_runtest_logreport(report):
    # Setup of the first test includes the session fixtures, timed above.
    if report.when == "call" and "live" in report.keywords:
        TIMINGS["scenarios"] += report.duration
        TIMINGS["scenario:" + report.nodeid.split("::")[-1]] = report.duration


def pytest_sessionfinish(session):
    if os.environ.get(TIMING_ENV):
        with open(os.environ[TIMING_ENV], "w") as f:
            json.dump(TIMINGS, f, indent=1)
