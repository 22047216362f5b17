"""Slow live scenarios, run side by side, SCENARIOS_AT_ONCE at a time.

Most of a scenario's time is Clipper's, not ours: a container connecting
(about 6 s), a dead container being dropped (about 30 s), a model loading.
A scenario decorated with @background runs in a pool of threads started when
the session's cluster is up; its pytest test waits for it and fails with its
traceback. Scenarios use their own app and model names, so they do not disturb
each other; one that may upset the query frontend gets a cluster of its own,
removed when it passes.

A scenario that deploys an image whose container dies at start `yield`s right
after that deploy: every scenario's part before its `yield` runs before the
pool, two at a time. On a busy machine clipper_admin's check that the new
container runs has come after the container had already exited, and the deploy
then retries for five minutes (docs/model-containers.md); idle, the check comes
within 10 ms of the start and such a container lives about 1.7 s.
"""
import builtins
import functools
import inspect
import io
import math
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError as FutureTimeout
from pathlib import Path

import docker
import pytest
from clipper_admin import ClipperConnection, DockerContainerManager

from tests.live.clipper_live import MANAGER_PORTS, once_more_if_port_taken, throttle_query_frontend
from troubleshoot_snippets.doctor import checks as doctor_checks

# A scenario that has not finished by then is reported as hung; every wait inside
# one is bounded far below this, so it is a backstop, not a budget.
JOIN_TIMEOUT = 480
SCENARIOS_AT_ONCE = 6  # with 8, a healthy model's deploy once found its container not running for 5 min
# An own cluster's query frontend, in cores: it spins while its dead replicas wait to be dropped
# (30-60 s); held to 0.2, the suite's frontends took 90 CPU-s, not 124 at the guide's 0.5
OWN_FRONTEND_CORES = 0.2
_local = threading.local()
_print = builtins.print
_quietly = doctor_checks.quietly


def _quietly_in_this_thread(snippet, *args):
    # the doctor's own quietly() swaps sys.stdout for the whole process, which would
    # swallow what a main-thread test prints meanwhile
    saved = getattr(_local, "out", None)
    _local.out = io.StringIO()
    try:
        return snippet(*args)
    finally:
        _local.out = saved


def _thread_print(*args, file=None, **kwargs):
    # print() inside a scenario thread goes to that scenario's buffer (pytest's
    # capsys captures process-wide, so it cannot tell two threads apart).
    if file is None:
        file = getattr(_local, "out", None)
    _print(*args, file=file, **kwargs)


class _EnvironWhileScenariosRun(type(os.environ)):
    # pytest removes PYTEST_CURRENT_TEST after each test; a scenario thread reading the
    # environment key by key at that moment (requests' proxy lookup, on every request)
    # got KeyError for it. While the pool runs it is emptied instead.
    def __delitem__(self, key):
        if key == "PYTEST_CURRENT_TEST":
            self[key] = ""
        else:
            super().__delitem__(key)


class Live:
    """What a background scenario gets: its own connection and Docker client on the
    session's cluster (or its own), the shared model images, and what its snippets printed.
    The containers its connection starts carry label=`owner`, the scenario's name
    (live_timing.py counts their CPU per scenario)."""

    def __init__(self, cluster, label, images, owner):
        self.docker = docker.from_env(timeout=120)
        self.conn = ClipperConnection(DockerContainerManager(
            cluster_name=cluster, extra_container_kwargs={"labels": {label: owner}}))
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

    def start(self, scenario):
        """Run a generator scenario up to its `yield`; run() does the rest."""
        self._steps = scenario(self)
        _local.out = self._out
        try:
            next(self._steps)
        finally:
            _local.out = None

    def run(self, scenario):
        _local.out = self._out
        try:
            steps = getattr(self, "_steps", None)
            if steps is None:
                return scenario(self)
            for _ in steps:
                raise RuntimeError("{} yields more than once".format(scenario.__name__))
        finally:
            _local.out = None
            self.close()

    def close(self):
        self.docker.close()
        shutil.rmtree(self.tmp_path, ignore_errors=True)


def background(scenario=None, own_cluster=None, capped=True, alone=False):
    """Make `scenario(live)` a test whose body runs in a thread started with the cluster.

    A generator scenario's part before its `yield` runs before the pool starts, two such
    parts at a time; with alone=True, by itself, before the others.

    With own_cluster=NAME, live.conn is on a cluster of that name instead, started for the
    scenario just before the threads (a start_clipper amid their burst has failed), for
    scenarios that restart or may upset the query frontend. Its query frontend is capped at
    OWN_FRONTEND_CORES unless capped=False. (Not the session cluster's: capped at half a core,
    it recorded a p50 latency of 385 ms for a model that sums.)"""
    if scenario is None:
        return functools.partial(background, own_cluster=own_cluster, capped=capped, alone=alone)

    @functools.wraps(scenario)
    def test(background_runs):
        return background_runs.result(test.background_key)
    test.background_key = "{}.{}".format(scenario.__module__, scenario.__name__)
    test.scenario = scenario
    test.own_cluster, test.capped, test.alone = own_cluster, capped, alone
    del test.__wrapped__  # pytest must see the `background_runs` parameter, not the scenario's
    return test


def scenario_name(key):
    """The scenario's function name, of its key."""
    return key.rsplit(".", 1)[1]


class BackgroundRuns:
    """The running scenarios of this session, by key. `expected`: {key: seconds it ran in the
    pool} of an earlier run, to order them."""

    def __init__(self, items, cluster, label, images, remove_cluster, expected):
        builtins.print = _thread_print
        doctor_checks.quietly = _quietly_in_this_thread
        self._environ_class, os.environ.__class__ = os.environ.__class__, _EnvironWhileScenariosRun
        scenarios = {}
        for item in items:
            test = getattr(item, "function", None)
            if hasattr(test, "background_key"):
                scenarios[test.background_key] = test
        self._futures = {key: Future() for key in scenarios}
        self._remove_cluster = remove_cluster
        self.before_pool = {}  # key: seconds of its part before the pool
        clusters = {}
        started = time.monotonic()
        # three at a time: one start mostly waits on Docker and on the frontends' first answers
        with ThreadPoolExecutor(max_workers=3, thread_name_prefix="cluster-start") as starting:
            starts = {key: starting.submit(self._start_cluster, test.own_cluster, label, test.capped)
                      for key, test in scenarios.items() if test.own_cluster}
        for key, cluster_start in starts.items():
            try:
                cluster_start.result()
                clusters[key] = scenarios[key].own_cluster
            except Exception as e:  # noqa: B902 - that scenario's test fails with it
                self._futures[key].set_exception(e)
        self.own_clusters = dict(clusters)  # key: cluster name
        self.own_clusters_started_in = time.monotonic() - started
        started = time.monotonic()
        lives = {}

        def start(key, test):
            began = time.monotonic()
            try:
                lives[key] = Live(clusters.get(key, cluster), label, images, scenario_name(key))
                lives[key].start(test.scenario)
            except BaseException as e:  # noqa: B902 - skips included; not a Ctrl-C
                if key in lives:
                    lives.pop(key).close()
                if isinstance(e, KeyboardInterrupt):
                    raise
                self._futures[key].set_exception(e)
            self.before_pool[key] = time.monotonic() - began
        parts = [(key, test) for key, test in scenarios.items()
                 if inspect.isgeneratorfunction(test.scenario) and not self._futures[key].done()]
        for key, test in parts:
            if test.alone:
                start(key, test)
        # two at a time: they mostly wait on a container's start (deploy_dying_image deploys
        # again when clipper_admin looked after its container died)
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="scenario-start") as starting:
            for started_part in [starting.submit(start, key, test) for key, test in parts if not test.alone]:
                started_part.result()
        self.before_pool_in = time.monotonic() - started
        # A bounded pool: all at once, their containers' start-up saturated 2 cores for
        # minutes and start-up waits timed out. The longest go first, as they took last time
        # (`expected`), else those on an own cluster: one started late made the pool's tail.
        self._pool = ThreadPoolExecutor(max_workers=SCENARIOS_AT_ONCE, thread_name_prefix="scenario")
        self.pool_started, self.span = time.monotonic(), {}
        for key, test in sorted(scenarios.items(),
                                key=lambda kv: -expected.get(kv[0], math.inf if kv[1].own_cluster else 0.0)):
            if not self._futures[key].done():
                self._pool.submit(self._run, key, test.scenario, lives.get(key),
                                  clusters.get(key), cluster, label, images)

    def _start_cluster(self, name, label, capped):
        # random ports (None): beside the session cluster they were random anyway; but when it
        # did not get 1337 (TIME_WAIT after a previous run), two clusters starting at once both
        # took 1337 for free, and test_query_frontend_not_on_1337 needs it held by the session
        # cluster or free
        ports = dict.fromkeys(MANAGER_PORTS)
        conn = ClipperConnection(DockerContainerManager(
            cluster_name=name, extra_container_kwargs={"labels": {label: name}}, **ports))
        once_more_if_port_taken(conn.start_clipper, lambda: self._remove_cluster(name), name, conn.cm)
        if capped:
            throttle_query_frontend(conn.cm.docker_client, name, OWN_FRONTEND_CORES)

    def _run(self, key, scenario, live, own_cluster, cluster, label, images):
        """Run one scenario in the pool; in `span`, when it ran (seconds from the pool's start)."""
        started = time.monotonic()
        try:
            result = (live or Live(own_cluster or cluster, label, images, scenario_name(key))).run(scenario)
            if own_cluster:
                # its query frontend would poll on, taking CPU from the others; a failed
                # scenario's cluster stays for the session's teardown
                self._remove_cluster(own_cluster)
            self._futures[key].set_result(result)
        except BaseException as e:  # noqa: B902 - the test re-raises it, skips included
            self._futures[key].set_exception(e)
        finally:
            self.span[key] = (started - self.pool_started, time.monotonic() - self.pool_started)

    def pool_seconds(self):
        """{key: seconds it ran in the pool}."""
        return {key: end - start for key, (start, end) in self.span.items()}

    def seconds(self):
        """{key: its own seconds, before the pool and in it} (its test only joins it)."""
        pool = self.pool_seconds()
        return {key: self.before_pool.get(key, 0.0) + pool.get(key, 0.0)
                for key in self.before_pool.keys() | pool.keys()}

    def result(self, key):
        try:
            return self._futures[key].result(timeout=JOIN_TIMEOUT)
        except FutureTimeout:
            pytest.fail("background scenario {} still running after {} s".format(key, JOIN_TIMEOUT))

    def close(self):
        self._pool.shutdown(wait=False, cancel_futures=True)  # after a Ctrl-C: start no more
        builtins.print = _print
        doctor_checks.quietly = _quietly
        os.environ.__class__ = self._environ_class
