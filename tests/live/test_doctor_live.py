"""clipper-doctor on a real cluster, beyond the one-line checks inside the guide's
scenarios (`doctor_anchor(app)` in test_default_predictions_live.py,
test_model_containers_live.py, test_cloudpickle_live.py): the command's text
report is the one docs/doctor.md shows, --json, --collect, and no cluster.
"""
import json
import os
import re
import subprocess
import sys
import tarfile

import pytest

from tests.live.background import background
from tests.live.clipper_live import deploy_dying_image, register_app, shown, wait_until
from tests.live.conftest import CLUSTER, SUITE_LABEL
from tests.support.snippets import ROOT, section
from troubleshoot_snippets import default_predictions as snippets

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

SECRET = "doctor-secret-" + "4711" * 4  # must not end up in the bundle


def doctor_command(section_name, **env):
    """Run a section of doctor.sh with bash from the project's root, as the page shows it."""
    return subprocess.run(["bash", "-c", section("troubleshoot_snippets/doctor.sh", section_name)],
                          cwd=ROOT, capture_output=True, text=True, timeout=180,
                          env=dict(os.environ, **env))


def doctor(*args, **env):
    return subprocess.run([sys.executable, "-m", "troubleshoot_snippets.doctor", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180, env=dict(os.environ, **env))


def normalized(text):
    """A report without what changes between runs: numbers (container names, versions, latencies)."""
    return re.sub(r"\d+", "N", text)


def without_port_note(report):
    """The report without the query-address note: whether 1337 was free differs between runs."""
    return re.sub(r"\[--\] query address: .*\n(     .*\n)*", "[ok] query address: localhost:1337\n", report)


def same_as_shown(printed, output_file):
    """`printed` is the shown output but for numbers; if not, it is kept in build/ to look at."""
    if normalized(without_port_note(printed)) == normalized(shown(output_file)):
        return True
    actual = ROOT / "build" / "actual" / output_file
    actual.parent.mkdir(parents=True, exist_ok=True)
    actual.write_text(printed)
    raise AssertionError("differs from troubleshoot_snippets/outputs/{}; this run printed {}".format(
        output_file, actual))


@background
def test_doctor_report_json_and_bundle_for_a_crashed_app(live):
    clipper_conn, app, model = live.conn, "doctor-crash-app", "doctor-crash-model"
    register_app(clipper_conn, app)
    deploy_dying_image(clipper_conn, model, "1", live.images["crash-model", "1"], SUITE_LABEL)
    yield  # before this, with the machine idle: the container dies at start
    snippets.link_model(clipper_conn, app, model)
    wait_until(lambda: clipper_conn.cm.get_num_replicas(name=model, version="1") == 0, 90,
               "the crashing container to exit")

    result = doctor_command("run_app", APP_NAME=app, CLUSTER=CLUSTER)
    assert result.returncode == 1, result.stderr
    assert same_as_shown(result.stdout, "doctor_report.txt")

    result = doctor("--app", app, "--json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert (data["status"], data["exit_code"]) == ("problem", 1)
    problems = [f for f in data["findings"] if f["status"] == "problem"]
    assert [f["entry"]["anchor"] for f in problems] == ["model-container-not-running", "missing-packages"]
    assert problems[1]["tail"][-1] == problems[1]["matched"]

    (crashed,) = live.docker.containers.list(
        all=True, filters={"label": "ai.clipper.model_container.label={}_1".format(model)})
    # a container of the user's own beside the cluster: --collect must leave it out
    unrelated = live.docker.containers.run("redis:alpine", ["sleep", "300"], detach=True,
                                           name="doctor-unrelated-" + SECRET[-4:] + "x")
    try:
        result = doctor("--app", app, "--collect", str(live.tmp_path), DOCTOR_TEST_SECRET=SECRET)
    finally:
        unrelated.remove(force=True, v=True)
    assert result.returncode == 1, result.stderr
    (bundle,) = live.tmp_path.glob("clipper-diagnostics-*.tar.gz")
    with tarfile.open(bundle) as tar:
        files = {m.name.split("/", 1)[1]: tar.extractfile(m).read().decode()
                 for m in tar.getmembers() if m.isfile()}
    assert "Encountered an ImportError" in files["logs/{}.log".format(crashed.name)]
    assert crashed.name in files["docker-ps.txt"]
    for call in ("get_all_apps", "get_all_models", "get_all_model_replicas", "inspect_instance"):
        assert "\n{}\n".format(call) in files["listings.txt"]
    assert app in files["doctor.txt"]
    assert not any(SECRET in text for text in files.values())
    assert not any(unrelated.name in text for text in files.values())


def test_no_cluster_of_that_name(clipper_conn):
    result = doctor("--cluster", "doctor-no-such-cluster")
    assert result.returncode == 2, result.stderr
    assert "--cluster {}".format(CLUSTER) in result.stdout
    assert same_as_shown(only_the_suites_cluster(result.stdout), "doctor_no_cluster.txt")


def only_the_suites_cluster(report):
    """The report with the suite's cluster alone in the doctor's list: scenarios with a
    cluster of their own may be running beside it."""
    def keep(match):
        mine = [c for c in match.group(2).split("; ") if c.startswith(CLUSTER + " ")]
        return match.group(1) + "; ".join(mine)
    return re.sub(r"(the clusters on this engine: )(.*)", keep, report)
