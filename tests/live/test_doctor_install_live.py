"""clipper-doctor installed as a user installs it (tests/support/installed_doctor.py) on the
live cluster: the same findings as `python -m troubleshoot_snippets.doctor` of the checkout
(which uses clipper_admin; the installed one has none and asks Docker and Clipper's REST API
itself), and --python judging the Python a user deploys with (issue 20)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.background import background
from tests.live.clipper_live import LOST_RACES, deploy_dying_image, register_app, wait_connected, wait_until
from tests.live.conftest import CLUSTER, SUITE_LABEL
from tests.live.test_doctor_live import same_as_shown
from tests.support import legacy_python
from tests.support.installed_doctor import installed_doctor
from tests.support.snippets import ROOT, section
from troubleshoot_snippets import default_predictions as snippets
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(900)]

# The checks about the interpreter itself: they differ by design (the doctor's own Python).
CLIENT_CHECKS = {"interpreter", "Python", "clipper_admin", "cloudpickle", "docker-py"}
MISMATCH = ["cloudpickle==0.6.1"]  # installing.md's table: fails in the 0.5.3 closure image


def module_doctor(*args):
    return subprocess.run([sys.executable, "-m", "troubleshoot_snippets.doctor", "--cluster", CLUSTER, *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def cluster_findings(result):
    data = json.loads(result.stdout)
    return data["exit_code"], [f for f in data["findings"] if f["check"] not in CLIENT_CHECKS]


def agreeing_runs(doctor, app, cwd, tries=3):
    """The installed and the checkout doctor on `app`, one right after the other, until their
    findings agree: the other scenarios change the shared cluster between two runs."""
    for attempt in range(1, tries + 1):
        installed = doctor.run("--cluster", CLUSTER, "--app", app, "--json", cwd=cwd)
        checkout = module_doctor("--app", app, "--json")
        ours, theirs = cluster_findings(installed), cluster_findings(checkout)
        if ours == theirs:
            return installed, checkout
        differ = "; ".join("{}: {} {}: {}".format(which, f["status"], f["check"], f["summary"])
                           for which, mine, other in (("installed", ours[1], theirs[1]),
                                                      ("checkout", theirs[1], ours[1]))
                           for f in mine if f not in other)
        differ = "exit {} vs {}; {}".format(ours[0], theirs[0], differ)
        LOST_RACES.append("the installed and the checkout doctor on {} (try {}): {}".format(app, attempt, differ))
    raise AssertionError("the installed and the checkout doctor disagree on {} in {} tries: {}".format(
        app, tries, differ))


def home_with_py36(path, python):
    """A HOME whose ~/py36 is the venv of `python` (the page's `--python ~/py36/bin/python`)."""
    path.mkdir(parents=True, exist_ok=True)
    link = path / "py36"
    if not link.exists():
        link.symlink_to(python.parent.parent)
    return path


@background
def test_installed_doctor_finds_what_the_checkout_finds(live):
    clipper_conn = live.conn
    crash_app, crash_model = "install-crash-app", "install-crash-model"
    healthy_app, healthy_model = "install-healthy-app", "install-healthy-model"
    unlinked_app = "install-unlinked-app"
    register_app(clipper_conn, crash_app)
    deploy_dying_image(clipper_conn, crash_model, "1", live.images["crash-model", "1"], SUITE_LABEL)
    yield  # before this, with the machine idle: the container dies at start
    snippets.link_model(clipper_conn, crash_app, crash_model)
    register_app(clipper_conn, healthy_app, query=False)  # as the page shows it: never queried
    deploy_image(clipper_conn, healthy_model, "1", live.images["sum-model", "1"])
    snippets.link_model(clipper_conn, healthy_app, healthy_model)
    register_app(clipper_conn, unlinked_app)
    doctor = installed_doctor()
    wait_until(lambda: clipper_conn.cm.get_num_replicas(name=crash_model, version="1") == 0, 90,
               "the crashing container to exit")
    wait_connected(clipper_conn, healthy_model)

    expected = {crash_app: ["model-container-not-running", "missing-packages"], healthy_app: [],
                unlinked_app: ["model-not-linked"]}
    for app, anchors in expected.items():
        installed, checkout = agreeing_runs(doctor, app, live.tmp_path)
        assert installed.returncode == checkout.returncode == (1 if anchors else 0), installed.stderr
        problems = [f["entry"]["anchor"] for f in cluster_findings(installed)[1] if f["status"] == "problem"]
        assert problems == anchors

    # The page's --python run: a 3.6 venv whose cloudpickle the closure image cannot load.
    py36 = legacy_python.legacy_venv_or_skip(MISMATCH)
    home = home_with_py36(live.tmp_path / "home", py36)
    (live.tmp_path / "work").mkdir()
    result = subprocess.run(
        ["bash", "-c", section("troubleshoot_snippets/doctor.sh", "run_python")], cwd=live.tmp_path / "work",
        capture_output=True, text=True, timeout=300,
        env=dict(os.environ, HOME=str(home), APP_NAME=healthy_app,
                 PATH="{}:{}".format(doctor.bin, os.environ["PATH"])))
    assert result.returncode == 1, result.stderr
    assert same_as_shown(result.stdout, "doctor_python.txt")


PYTHON_OPTION_CASES = {
    "3.6-cloudpickle-0.5.3": ("3.6", [], {
        "Python": ("ok", "3.6.15"), "cloudpickle": ("ok", "0.5.3"),
        "cloudpickle in model image": ("ok", "0.5.3 in clipper/python36-closure-container:0.4.1")}),
    "3.6-cloudpickle-0.6.1": ("3.6", MISMATCH, {"cloudpickle": ("ok", "0.6.1"), "cloudpickle in model image": (
        "problem", "0.5.3 in clipper/python36-closure-container:0.4.1; closures pickled by cloudpickle 0.6.1 "
                   "on the client fail to load there", "cloudpickle-mismatch")}),
    "3.11-as-pinned": ("3.11", [], {
        "clipper_admin": ("problem", "0.4.1: `import clipper_admin` fails: TypeError: code expected at least 16 "
                                     "arguments, got 15", "cloudpickle-import-error")}),
}


def python_option_judges_that_interpreter(case):
    """The scenario of one case: the doctor on the whole session cluster (every app's image
    probed) takes 15-50 s, so it runs beside the other scenarios, not in the main thread."""
    version, extra, expected = PYTHON_OPTION_CASES[case]

    def scenario(live):
        python = legacy_python.python_venv_or_skip(version, extra)
        result = module_doctor("--python", str(python), "--json")
        versions = {f["check"]: f for f in json.loads(result.stdout)["findings"] if f["scope"] == "versions"}
        # shown as the reader would type it: relative to the doctor's folder, else under ~/
        home = Path.home()
        where = (python.relative_to(ROOT) if python.is_relative_to(ROOT) else
                 "~/{}".format(python.relative_to(home)) if python.is_relative_to(home) else python)
        assert versions["interpreter"]["summary"] == "{} (--python)".format(where)
        for check, (status, summary, *anchor) in expected.items():
            found = versions[check]
            # Other apps' images on the session's cluster share the closure image as their base.
            assert (found["status"], re.sub(r" \(base of [^)]*\)", "", found["summary"])) == (status, summary), found
            assert (found["entry"] or {}).get("anchor") == (anchor[0] if anchor else None), found
        if version != "3.6":  # pickles no closures: model images (of other apps) are only listed
            assert versions.get("cloudpickle in model image", {"status": "ok"})["status"] == "ok"
    scenario.__name__ = scenario.__qualname__ = "test_python_option_judges_that_interpreter_" + re.sub(
        r"\W", "_", case)
    return background(scenario)


for _case in PYTHON_OPTION_CASES:
    _test = python_option_judges_that_interpreter(_case)
    globals()[_test.__name__] = _test
