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

    monkeypatch.setattr(doctor_run, "TIME_LIMIT", 0.2)
    found = doctor_run.within_time_limit(Hanging())
    assert [f.status for f in found] == [OK, UNCHECKED]
    assert found[-1].summary == "the cluster did not answer every check within 0.2 s"
    assert report.exit_code(found) == 2


def test_an_engine_request_that_times_out_mid_run_could_not_check():
    """A saturated engine missed docker-py's read timeout in a live run: the run says what it
    saw, then could not check, instead of a traceback."""
    import socket

    import docker
    from troubleshoot_snippets.doctor import run as doctor_run

    with socket.socket() as silent:  # accepts, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()

        class EngineStopsAnswering(doctor_run.Run):
            def diagnose(self):
                self.findings.append(Finding("cluster", "engine reachable", OK, "Docker"))
                client = docker.DockerClient(base_url="tcp://127.0.0.1:{}".format(silent.getsockname()[1]),
                                             version="1.41", timeout=0.2)
                client.containers.list(all=True)

        found = doctor_run.within_time_limit(EngineStopsAnswering())
    assert [f.status for f in found] == [OK, UNCHECKED]
    assert found[-1].summary.startswith("a request to the Docker engine failed, so the checks after it "
                                        "did not run: ReadTimeout: "), found[-1].summary
    assert found[-1].summary.endswith("Read timed out. (read timeout=0.2)"), found[-1].summary
    assert report.exit_code(found) == 2


# ucbrise/clipper#758, recorded on 2026-12-05 with the shared Clipper 0.4.1 images: a cluster of
# its own, three models (closures on python36-closure-container:0.4.1) whose one replica each
# connected and died on its first query while queries kept coming; ~35 s later the query
# frontend dropped them; then a new version m0:2 of a working closure was deployed. Each .log is
# the frontend's whole `docker logs --timestamps`; its .json, when that was read and the model
# containers' states then. In the two deadlocked runs m0:2 was listed by get_all_model_replicas
# but no query got an answer for 90 s; in the other one it answered.
DATA = ROOT / "tests" / "static" / "data"


def recorded(name):
    """(log lines, when the log was read, start times of the model containers running then)."""
    from troubleshoot_snippets.doctor.checks import docker_time
    info = json.loads((DATA / (name + ".json")).read_text())
    started = [docker_time(c["StartedAt"]) for c in info["model_containers"].values() if c["Status"] == "running"]
    return ((DATA / (name + ".log")).read_text(encoding="utf-8").splitlines(),
            docker_time(info["log_read_at"]), started)


@pytest.mark.parametrize("name, stuck", [
    ("frontend-758-deadlocked", "m2:1"),
    # its first removal (m1:1) finished, the second one did not
    ("frontend-758-deadlocked-second-removal", "m0:1"),
])
def test_a_recorded_deadlocked_query_frontend_is_a_problem(name, stuck):
    from troubleshoot_snippets.doctor.checks import deadlock_finding, deadlock_signature
    log, read_at, started = recorded(name)
    line, why = deadlock_signature(log, read_at, started)
    assert line.endswith("[CONTAINERS] Removing container 0 for model " + stuck)
    assert "\x1b" not in line  # the frontend colours its lines
    assert why.startswith("its removal of {}, replica 0 stopped".format(stuck))
    finding = deadlock_finding("query_frontend-1", log, read_at, started)
    assert finding.status == PROBLEM
    assert (finding.entry.page, finding.entry.anchor) == ("default-predictions.md", "frontend-deadlock")
    assert report.exit_code([finding]) == 1
    # the live tests' sign alone (the frontend's RPC thread blocked when m0:2 connected) agrees
    no_threadpool = [l for l in log if "[THREADPOOL]" not in l]
    assert deadlock_signature(no_threadpool, read_at, started)[1].startswith("its RPC thread has been silent")


def test_a_recorded_deadlock_is_not_called_before_it_shows():
    from troubleshoot_snippets.doctor.checks import deadlock_signature, docker_time
    log, read_at, started = recorded("frontend-758-deadlocked")
    (interrupted,) = [docker_time(l.split(" ", 1)[0]) for l in log if "Thread is interrupted for model" in l]
    upto = [l for l in log if docker_time(l.split(" ", 1)[0]) <= interrupted + 10]
    # 10 s after the stuck removal, with no model container running: too early to tell
    assert deadlock_signature(upto, interrupted + 10, []) is None
    assert deadlock_signature(upto, interrupted + 21, [])[0].endswith("model m2:1")


def test_a_recorded_query_frontend_that_did_not_deadlock_is_ok():
    from troubleshoot_snippets.doctor.checks import deadlock_finding, deadlock_signature
    log, read_at, started = recorded("frontend-758-not-deadlocked")
    assert sum("[CONTAINERS] Removing container" in l for l in log) == 3  # it dropped all three
    assert deadlock_signature(log, read_at, started) is None
    assert deadlock_finding("query_frontend-1", log, read_at, started).status == OK



@pytest.mark.parametrize("size", [1, 7, 4096])
def test_a_log_streamed_in_chunks_reads_as_its_lines(size):
    """The doctor streams the whole log: Docker's chunks need not end at a line's end."""
    from troubleshoot_snippets.doctor.checks import deadlock_signature, log_lines
    data = (DATA / "frontend-758-deadlocked-second-removal.log").read_bytes()
    chunks = (data[i:i + size] for i in range(0, len(data), size))
    lines = list(log_lines(chunks))
    assert lines == data.decode("utf-8").splitlines()
    _, read_at, started = recorded("frontend-758-deadlocked-second-removal")
    assert deadlock_signature(iter(lines), read_at, started) == deadlock_signature(lines, read_at, started)


def test_a_deadlock_before_the_frontends_restart_is_not_reported_after_it():
    """The guide's fix restarts the query frontend; `docker restart` keeps the old run's log."""
    from troubleshoot_snippets.doctor.checks import deadlock_signature, docker_time, logged_since
    log, read_at, started = recorded("frontend-758-deadlocked")
    (interrupted,) = [docker_time(l.split(" ", 1)[0]) for l in log if "Thread is interrupted for model" in l]
    assert deadlock_signature(logged_since(log, interrupted - 1), read_at, started)
    assert deadlock_signature(logged_since(log, interrupted + 1), read_at, started) is None


def test_the_suites_own_recording_of_a_deadlock_after_an_oom_kill_is_a_problem():
    """Recorded by the live suite itself (doctor_sees_deadlock): the memory scenario's frontend
    dropped the replica the kernel had killed for memory, and deadlocked there."""
    from troubleshoot_snippets.doctor.checks import deadlock_finding
    log, read_at, started = recorded("frontend-758-deadlocked-oom")
    finding = deadlock_finding("query_frontend-18054", log, read_at, started)
    assert finding.status == PROBLEM and finding.entry.anchor == "frontend-deadlock", finding
    assert "Removing container 0 for model oom-model:1" in finding.summary


# Recorded on 2026-12-06 (scripts/live_timing.py, idle machine): the memory scenario's replica
# (256 MiB limit) after its 400 MiB input. The kernel's log said "Memory cgroup out of memory:
# Killed process 7587 (python)", yet Docker 20.10.24 left State.OOMKilled false (Health omitted).
@pytest.mark.parametrize("oom_killed, says", [
    (True, "killed for memory: Docker's State.OOMKilled is true, its memory limit (HostConfig.Memory) 256 MiB"),
    (False, "its Python was killed (the log ends with the shell's `Killed`) under a memory limit "
            "(HostConfig.Memory) of 256 MiB: most likely for memory, although Docker's State.OOMKilled is false"),
])
def test_a_model_killed_for_memory_is_reported_with_or_without_dockers_flag(oom_killed, says):
    from troubleshoot_snippets.doctor.checks import why_stopped
    attrs = json.loads((DATA / "oom-killed-flag-missed.json").read_text())
    attrs["State"]["OOMKilled"] = oom_killed
    tail = (OUTPUTS / "oom_killed.log").read_text().splitlines()
    finding = why_stopped("app a", "exited container", attrs, tail, "m_1-1 is exited")
    assert (finding.status, finding.summary, finding.entry) == (PROBLEM, "m_1-1 is exited; " + says, E.OOM_KILLED)


def test_a_killed_python_without_a_memory_limit_is_not_called_a_memory_kill():
    from troubleshoot_snippets.doctor.checks import why_stopped
    attrs = json.loads((DATA / "oom-killed-flag-missed.json").read_text())
    attrs["HostConfig"]["Memory"] = 0
    tail = (OUTPUTS / "oom_killed.log").read_text().splitlines()
    finding = why_stopped("app a", "exited container", attrs, tail, "m_1-1 is exited", "fallback")
    assert (finding.status, finding.entry) == (PROBLEM, "fallback")
    assert finding.summary == "m_1-1 is exited; its log matches no symptom text of the guide"


# inspect_instance()'s histogram as ../shared/clipper-observed.md recorded it: mean 1461, p50 93.5 us
@pytest.mark.parametrize("slo, status", [(2000, OK), (1000, NOTE), (100, NOTE), (50, PROBLEM)])
def test_the_median_latency_decides_whether_the_slo_is_too_low(slo, status):
    from troubleshoot_snippets.doctor.checks import latency_finding
    finding = latency_finding("app a", slo, {"mean": 1461.0, "p50": 93.5})
    assert finding.status == status
    assert "mean 1461 us, p50 94 us" in finding.summary
    assert finding.entry == (None if status == OK else E.SLO_TOO_LOW)


def test_no_measured_latency_is_said_so():
    from troubleshoot_snippets.doctor.checks import latency_finding
    for latency in (None, {"mean": 0.0, "p50": 0.0}):
        assert latency_finding("app a", 300000, latency).summary == "no prediction measured yet, SLO 300000 us"
