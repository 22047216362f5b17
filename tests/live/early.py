"""Tests that need no cluster (PyPI, pyenv's Pythons), started at collection.

A job decorated with @early runs in one thread of its own from the end of collection,
one job after another, while the session's cluster starts and the scenarios deploy
with the machine half idle; on the main thread, after the cluster's tests, they made
the suite's tail. Its test waits for it and fails or skips with what it raised.
A job takes its test's parameters (no fixtures) and makes its own temporary folder.
"""
import functools
from concurrent.futures import ThreadPoolExecutor

JOIN_TIMEOUT = 900  # a backstop: each job's subprocesses have their own timeouts
_jobs = {}  # (job name, its parameters) -> Future


def _key(job, params):
    return job.__name__, tuple(sorted(params.items()))


def early(job):
    """Make `job(**params)` a test whose body runs in the thread start() starts."""
    @functools.wraps(job)
    def test(**params):
        future = _jobs.get(_key(job, params))
        return future.result(timeout=JOIN_TIMEOUT) if future else job(**params)  # not started: run here
    test.early_job = job
    return test


def start(items):
    """Start the jobs of the selected `items`, in their order."""
    selected = [item for item in items if hasattr(getattr(item, "function", None), "early_job")]
    if not selected:
        return
    runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="early")
    for item in selected:
        job, params = item.function.early_job, getattr(getattr(item, "callspec", None), "params", {})
        _jobs[_key(job, params)] = runner.submit(job, **params)
    runner.shutdown(wait=False)  # runs what was submitted, then ends
