"""clipper-doctor's time on a cluster with 10 applications (one of them broken).

Usage: .venv/bin/python scripts/bench_doctor.py [--runs N]
Takes the live-cluster lock (/tmp/clipper-live.lock), starts its own Clipper
cluster, deploys 10 apps (9 healthy, 1 whose container crashes at start),
times the doctor (the command, and its checks in-process; no --collect),
prints its text report, and removes everything it started. Target: < 5 s.
"""
import argparse
import fcntl
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import clipper_admin  # noqa: E402
import docker  # noqa: E402

from tests.live.clipper_live import register_app, wait_connected, wait_until  # noqa: E402
from tests.live.conftest import CLUSTER, MODELS, MODEL_FUNCTIONS, SUITE_LABEL, remove_containers  # noqa: E402
from troubleshoot_snippets import default_predictions as snippets  # noqa: E402
from troubleshoot_snippets.doctor.run import Run  # noqa: E402
from troubleshoot_snippets.model_image import build_function_image, deploy_image  # noqa: E402

LOCK = "/tmp/clipper-live.lock"
TARGET = 5.0
APPS = 10


def deploy(clipper_conn):
    healthy = build_function_image(clipper_conn, "bench-model", "1", [MODEL_FUNCTIONS],
                                   "model_functions.predict_sums")
    broken = build_function_image(clipper_conn, "bench-broken-model", "1",
                                  [str(MODELS / "needs_features.py")], "needs_features.predict")
    for i in range(APPS):
        app, model = "bench-app-{}".format(i), "bench-model-{}".format(i)
        register_app(clipper_conn, app)
        deploy_image(clipper_conn, model, "1", broken if i == APPS - 1 else healthy)
        snippets.link_model(clipper_conn, app, model)
    for i in range(APPS - 1):
        wait_connected(clipper_conn, "bench-model-{}".format(i), timeout=120)
    last = "bench-model-{}".format(APPS - 1)
    wait_until(lambda: clipper_conn.cm.get_num_replicas(name=last, version="1") == 0, 60,
               "the broken model's container to exit")


def timed(function):
    started = time.monotonic()
    result = function()
    return time.monotonic() - started, result


def _interrupt(signum, frame):
    # SIGTERM (a timeout, `kill`) unwinds like Ctrl-C, so the cluster is removed.
    raise KeyboardInterrupt("SIGTERM")


def main():
    signal.signal(signal.SIGTERM, _interrupt)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--installed", metavar="EXE", nargs="+",
                        help="also time this installed command, e.g. ~/.local/bin/clipper-doctor "
                             "[--python ~/py36/bin/python] (run from /tmp)")
    args = parser.parse_args()
    client = docker.from_env(timeout=60)
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if client.containers.list(filters={"label": "ai.clipper.container.label=" + CLUSTER}):
            sys.exit("a cluster named {} is running; stop it first".format(CLUSTER))
        manager = clipper_admin.DockerContainerManager(
            cluster_name=CLUSTER, extra_container_kwargs={"labels": {SUITE_LABEL: uuid.uuid4().hex}})
        clipper_conn = clipper_admin.ClipperConnection(manager)
        try:
            clipper_conn.start_clipper()
            deploy(clipper_conn)
            command = [sys.executable, "-m", "troubleshoot_snippets.doctor"]
            cli = [timed(lambda: subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                                                timeout=120)) for _ in range(args.runs)]
            checks = [timed(lambda: Run(CLUSTER).diagnose())[0] for _ in range(args.runs)]
            installed = [timed(lambda: subprocess.run(args.installed, cwd="/tmp", capture_output=True,
                                                      text=True, timeout=120))
                         for _ in range(args.runs if args.installed else 0)]
        finally:
            remove_containers(client.containers.list(all=True, filters={"label": SUITE_LABEL}),
                              getattr(manager, "prom_config_path", None))
    report = cli[-1][1]
    print(report.stdout, end="")
    print("exit code {}".format(report.returncode))
    print("\n{} apps, {} runs each:".format(APPS, args.runs))
    print("  python -m troubleshoot_snippets.doctor: median {:.2f} s (max {:.2f} s)".format(
        statistics.median(t for t, _ in cli), max(t for t, _ in cli)))
    print("  checks in-process (Run.diagnose):     median {:.2f} s (max {:.2f} s)".format(
        statistics.median(checks), max(checks)))
    if installed:
        print("  {}: median {:.2f} s (max {:.2f} s), exit code {}".format(
            " ".join(args.installed), statistics.median(t for t, _ in installed),
            max(t for t, _ in installed), installed[-1][1].returncode))
    worst = max(t for t, _ in cli + installed)
    print("target < {:.0f} s: {}".format(TARGET, "met" if worst < TARGET else "MISSED"))
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
