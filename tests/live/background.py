"""Slow live scenarios, run side by side on the session's one cluster.

Most of a scenario's time is Clipper's, not ours: a container connecting
(about 6 s), a dead container being dropped (about 30 s), a model loading.
A scenario decorated with @background starts in a thread as soon as the
cluster is up; its pytest test waits for it and fails with its traceback.
Scenarios use their own app and model names, so they do not disturb each other.
"""
import builtins
import functools
import importlib
import io
import tempfile
import threading
import uuid
from concurrent.futures import Future, TimeoutError as FutureTimeout
from pathlib import Path

import docker
import pytest
from clipper_admin import ClipperConnection, DockerContainerManager

# A scenario that has not finished by then is reported as hung; every wait inside
# one is bounded far below this, so it is a backstop, not a budget.
JOIN_TIMEOUT = 480
_local = threading.local()
_print = builtins.print


def _serialized(rewrite):
    # clipper_admin rewrites the Prometheus config file (read, add a job, write)
    # with no lock: two deploys at once from threads can read it half-written.
    @functools.wraps(rewrite)
    def locked(*args, **kwargs):
        with _metric_config_lock:
            return rewrite(*args, **kwargs)
    return locked


_metric_config_lock = threading.Lock()
# (importlib: the attribute clipper_admin.docker is docker-py, which clipper_admin imports)
docker_container_manager = importlib.import_module("clipper_admin.docker.docker_container_manager")
for _name in ("add_to_metric_config", "delete_from_metric_config"):
    setattr(docker_container_manager, _name, _serialized(getattr(docker_container_manager, _name)))


def _thread_print(*args, file=None, **kwargs):
    # print() inside a scenario thread goes to that scenario's buffer (pytest's
    # capsys captures process-wide, so it cannot tell two threads apart).
    if file is None:
        file = getattr(_local, "out", None)
    _print(*args, file=file, **kwargs)


class Live:
    """What a background scenario gets: its own connection and Docker client on the
    session's cluster, the shared model images, and what its snippets printed."""

    def __init__(self, cluster, label, images):
        self.docker = docker.from_env(timeout=120)
        self.conn = ClipperConnection(DockerContainerManager(
            cluster_name=cluster, extra_container_kwargs={"labels": {label: uuid.uuid4().hex}}))
        self.conn.connect()
        self.images = images
        self.tmp_path = Path(tempfile.mkdtemp(prefix="live-scenario-"))
        self._out = io.StringIO()

    def printed(self):
        """What this scenario's print() calls wrote since the last call, like capsys."""
        text = self._out.getvalue()
        self._out.seek(0)
        self._out.truncate()
        return text

    def run(self, scenario):
        _local.out = self._out
        try:
            return scenario(self)
        finally:
            _local.out = None
            self.docker.close()


def background(scenario):
    """Make `scenario(live)` a test whose body runs in a thread started with the cluster."""
    @functools.wraps(scenario)
    def test(background_runs):
        return background_runs.result(test.background_key)
    test.background_key = "{}.{}".format(scenario.__module__, scenario.__name__)
    test.scenario = scenario
    del test.__wrapped__  # pytest must see the `background_runs` parameter, not the scenario's
    return test


class BackgroundRuns:
    """The running scenarios of this session, by key."""

    def __init__(self, items, cluster, label, images):
        builtins.print = _thread_print
        self._futures = {}
        for item in items:
            test = getattr(item, "function", None)
            key = getattr(test, "background_key", None)
            if key and key not in self._futures:
                self._futures[key] = future = Future()
                thread = threading.Thread(target=self._run, name=key, daemon=True,
                                          args=(future, test.scenario, cluster, label, images))
                thread.start()

    @staticmethod
    def _run(future, scenario, cluster, label, images):
        try:
            future.set_result(Live(cluster, label, images).run(scenario))
        except AssertionError as e:
            dead = _dead_query_frontend(cluster)
            future.set_exception(AssertionError("{}\n{}".format(e, dead)) if dead else e)
        except BaseException as e:  # noqa: B902 - the test re-raises it, skips included
            future.set_exception(e)

    def result(self, key):
        try:
            return self._futures[key].result(timeout=JOIN_TIMEOUT)
        except FutureTimeout:
            pytest.fail("background scenario {} still running after {} s".format(key, JOIN_TIMEOUT))

    def close(self):
        builtins.print = _print


def _dead_query_frontend(cluster):
    """Why every scenario timed out, if the cluster's query frontend has died."""
    client = docker.from_env(timeout=60)
    try:
        for c in client.containers.list(all=True, ignore_removed=True, filters={"label": [
                "ai.clipper.container.label=" + cluster, "ai.clipper.query_frontend.label"]}):
            if c.status != "running":
                tail = c.logs(tail=4).decode(errors="replace")
                return "(the query frontend {} is {}, exit code {}; its log ends:\n{})".format(
                    c.name, c.status, c.attrs["State"]["ExitCode"], tail)
        return None
    finally:
        client.close()
