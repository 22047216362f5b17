"""clipper-doctor without a cluster: log matching, entries and snippets it names,
the report's text, JSON and exit codes, and a run against a dead Docker socket."""
import json
import os
import re
import subprocess
import time

import pytest

from tests.support.snippets import ROOT, section, sections_defined
from troubleshoot_snippets.doctor import entries as E
from troubleshoot_snippets.doctor import report, versions
from troubleshoot_snippets.doctor.report import NOTE, OK, PROBLEM, UNCHECKED, Finding
from troubleshoot_snippets.symptoms import SYMPTOMS

OUTPUTS = ROOT / "troubleshoot_snippets" / "outputs"


def shown_command(name, **env):
    """Run section `name` of doctor.sh with bash from the project's root, as the page shows it."""
    return subprocess.run(["bash", "-c", section("troubleshoot_snippets/doctor.sh", name)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, env=dict(os.environ, **env))


@pytest.mark.parametrize("log, anchor", [
    ("import_error.log", "missing-packages"),
    ("cloudpickle_typeerror.log", "cloudpickle-mismatch"),
    ("cloudpickle_make_function.log", "cloudpickle-make-function"),
    ("wrong_interface.log", "numpy-float64-not-iterable"),
])
def test_shown_container_logs_match_their_entry(log, anchor):
    assert E.symptom_in((OUTPUTS / log).read_text()).anchor == anchor


def test_a_log_without_a_known_symptom_matches_nothing():
    assert E.symptom_in("Starting Python Closure container\ncannot load /model/weights.bin\n") is None


def test_the_last_matching_line_decides():
    log = "\n".join([SYMPTOMS[0].text, "noise", "TypeError: 'numpy.float64' object is not iterable", "x"])
    assert E.symptom_in(log).anchor == "numpy-float64-not-iterable"


def anchors_on(page):
    return set(re.findall(r"\{ #([\w-]+) \}", (ROOT / "docs" / page).read_text()))


@pytest.mark.parametrize("entry", E.all_entries(), ids=lambda e: e.path)
def test_every_entry_the_doctor_names_exists(entry):
    assert entry.anchor in anchors_on(entry.page), "docs/{} has no {{ #{} }}".format(entry.page, entry.anchor)


@pytest.mark.parametrize("anchor, ref", sorted(E.NEXT.items()))
def test_every_next_snippet_is_a_shown_section(anchor, ref):
    path, name = ref.split(":")
    assert name in sections_defined(ROOT / "troubleshoot_snippets" / path), ref
    assert E.section(ref) == section("troubleshoot_snippets/" + path, name)


def test_links_point_at_the_sites_address():
    assert E.GUIDE_URL == re.search(r"^site_url: (\S+)", (ROOT / "mkdocs.yml").read_text(), re.M).group(1)


def test_entry_paths_are_written_like_the_symptoms():
    for s in SYMPTOMS:
        assert E.of_symptom(s).path == s.path


def test_image_probe_is_the_guides_container_version_snippet():
    shown = section("troubleshoot_snippets/cloudpickle_versions.sh", "container_version")
    assert '-c "{}"'.format(versions.PROBE) in shown


def test_closure_table_is_the_guides_table():
    rows = [l for l in (ROOT / "docs" / "installing.md").read_text().splitlines()
            if re.match(r"\| \d+\.\d+\.\d+", l)]
    assert len(rows) == len(versions.CLOSURE_TABLE)
    for row in rows:
        client, *cells = [c.strip() for c in row.strip("|").split("|")]
        cells = [cells[0], cells[0] if cells[1] == "same" else cells[1]]
        want = tuple(None if c == "works" else "cloudpickle-make-function" if "#cloudpickle-make-function" in c
                     else "cloudpickle-mismatch" for c in cells)
        got = versions.CLOSURE_TABLE[client.split()[0]]
        assert tuple(e and e.anchor for e in got) == want, row


def findings(*statuses):
    return [Finding("app a", "check {}".format(i), s, "saw {}".format(i),
                    E.MODEL_NOT_LINKED if s != OK else None) for i, s in enumerate(statuses)]


@pytest.mark.parametrize("statuses, code", [
    ((OK, OK), 0), ((OK, NOTE), 0), ((OK, PROBLEM, NOTE), 1), ((PROBLEM, UNCHECKED), 2), ((), 0),
])
def test_exit_codes(statuses, code):
    assert report.exit_code(findings(*statuses)) == code


def test_text_report_names_entry_symptom_snippet_and_tail():
    missing = next(s for s in SYMPTOMS if s.anchor == "missing-packages")
    f = Finding("app crash-app", "exited container", PROBLEM, "crash-model_1-1 is exited",
                E.of_symptom(missing), missing.text, ["line one", missing.text])
    text = report.as_text("default-cluster", [Finding("cluster", "engine reachable", OK, "Docker"), f])
    assert text.splitlines()[:3] == ["clipper-doctor: cluster default-cluster", "", "cluster"]
    assert "[ok] engine reachable: Docker" in text
    assert "[!!] exited container: crash-model_1-1 is exited" in text
    assert "     matched: " + missing.text in text
    assert "     entry:   {}model-containers/#missing-packages".format(E.GUIDE_URL) in text
    assert "     next:    troubleshoot_snippets/model_image.py:build_function_image" in text
    assert "       | line one" in text
    assert text.endswith("1 problem found (exit 1).\n")


def test_a_cause_names_the_symptom_it_is_a_cause_of():
    text = report.as_text("c", findings(PROBLEM))
    assert "     symptom: No connected models found for query\n" in text
    assert E.SLO_TOO_LOW.symptom.startswith("Failed to retrieve a prediction response")


def test_a_problem_without_an_entry_says_so():
    text = report.as_text("c", [Finding("cluster", "Redis", PROBLEM, "redis-1 is exited", tail=["boom"])])
    assert "entry:   none in the guide matches; see the log below" in text


def test_json_shape():
    data = json.loads(report.as_json("c", findings(OK, PROBLEM)))
    assert set(data) == {"cluster", "status", "exit_code", "findings"}
    assert (data["status"], data["exit_code"]) == ("problem", 1)
    problem = data["findings"][1]
    assert set(problem) == {"scope", "check", "status", "summary", "matched", "symptom", "tail", "entry",
                            "next"}
    assert problem["symptom"] == "No connected models found for query" and problem["matched"] is None
    assert problem["entry"] == {"page": "default-predictions.md", "anchor": "model-not-linked",
                                "url": E.GUIDE_URL + "default-predictions/#model-not-linked"}
    assert problem["next"]["snippet"] == "troubleshoot_snippets/default_predictions.py:link_model_to_app"
    assert data["findings"][0]["entry"] is None and data["findings"][0]["next"] is None


@pytest.fixture
def dead_socket(tmp_path):
    return "unix://{}".format(tmp_path / "no-engine.sock")


def test_no_engine_exits_2_naming_the_entry(dead_socket):
    result = shown_command("run", DOCKER_HOST=dead_socket)
    assert result.returncode == 2, result.stderr
    shown = (OUTPUTS / "doctor_no_engine.txt").read_text()
    assert result.stdout == shown.replace("unix:///var/run/docker.sock", dead_socket)


def test_no_engine_json(dead_socket):
    result = shown_command("run_json", DOCKER_HOST=dead_socket)
    assert result.returncode == 2, result.stderr
    data = json.loads(result.stdout)
    assert (data["status"], data["exit_code"]) == ("could-not-check", 2)
    (engine,) = data["findings"]
    assert engine["check"] == "engine reachable" and engine["entry"]["anchor"] == "docker-api-version-error"
    assert "Error while fetching server API version" in engine["summary"]


def test_a_run_that_does_not_finish_in_time_could_not_check(monkeypatch):
    from troubleshoot_snippets.doctor import run as doctor_run

    class Hanging(doctor_run.Run):
        def diagnose(self):
            self.findings.append(Finding("cluster", "engine reachable", OK, "Docker"))
            time.sleep(5)

    monkeypatch.setattr(doctor_run, "TIME_LIMIT", 1)
    found = doctor_run.within_time_limit(Hanging())
    assert [f.status for f in found] == [OK, UNCHECKED]
    assert found[-1].summary == "the cluster did not answer every check within 1 s"
    assert report.exit_code(found) == 2


# ucbrise/clipper#758: the query frontend's lines (as troubleshoot_snippets/outputs/
# query_frontend_log.txt and clipper-observed.md quote them), with `docker logs -t` stamps.
# Assembled by hand: no deadlocked frontend's whole log has been recorded yet. The live
# suite keeps one in build/live-outputs/deadlocked/ when it meets the race (clipper_live.py).
DEADLOCKED_LOG = """\
2026-12-05T10:00:00.100Z [10:00:00.100][info]         [RPC] New container connected
2026-12-05T10:00:05.100Z [10:00:05.100][info]         [RPC] Found message to receive
2026-12-05T10:00:40.200Z [10:00:40.200][info]         [RPC] lost contact with a container
2026-12-05T10:00:40.201Z [10:00:40.201][info]  [CONTAINERS] Removing container 0 for model sum-model:1
2026-12-05T10:00:40.201Z [10:00:40.201][info]  [CONTAINERS] All containers of model sum-model:1 are removed. Remove itself
""".splitlines()


def test_deadlock_signature_in_a_query_frontend_log():
    from troubleshoot_snippets.doctor.checks import deadlock_signature, docker_time
    removed = docker_time("2026-12-05T10:00:40.201Z")
    # a replica started after the removal has run 60 s, and the RPC thread said nothing
    line = deadlock_signature(DEADLOCKED_LOG, removed + 60, [removed + 1])
    assert line.endswith("Removing container 0 for model sum-model:1")
    assert E.symptom_in(line).anchor == "frontend-deadlock"
    # the same log, but the replica started 5 s ago: too early to tell
    assert deadlock_signature(DEADLOCKED_LOG, removed + 60, [removed + 55]) is None
    # the RPC thread still receives messages: no deadlock
    alive = DEADLOCKED_LOG + ["2026-12-05T10:01:35.000Z [10:01:35.000][info]         "
                              "[RPC] Found message to receive"]
    assert deadlock_signature(alive, removed + 60, [removed + 1]) is None
    assert deadlock_signature(DEADLOCKED_LOG[:2], removed + 60, [removed + 1]) is None

