"""The README's two commands, exactly as written, on fresh Debian 12 and Debian 13.

Each release's minbase root filesystem (no Python, no git, no certificates) gets a
clean clone of this project (committed HEAD) and this network's CA certificates, as a
user's machine here would have them. Then, as root:
`bash scripts/serve.sh` must answer 200 for the home page and a guide page, and
`bash scripts/test.sh` (the README's test command, as written) must pass with no test
skipped for a missing package: there is no running engine there, so the live tests
skip, each for that reason. Then the doctor page's install (`pipx install .` with
Debian's pipx) must give a `clipper-doctor` that exits 2 there. The releases run at
once, each in its own container, from collection on (beside the static suite where the
same pytest runs it first); their output lines are printed once the test runs.
Logs: build/fresh_machine/<release>-serve.log and -test.log.
"""
import queue
import re
import sys

import pytest

from tests.fresh_machine.readme_runs import OUTPUT, RELEASES, answered_200, start_runs
from tests.support.snippets import ROOT

pytestmark = [pytest.mark.fresh_machine, pytest.mark.timeout(3600)]


@pytest.fixture(scope="module")
def runs(fresh_machine_host):
    return start_runs()


def wait_printing(future, capsys):
    """The run's result, printing every release's output lines meanwhile."""
    with capsys.disabled():
        while not (future.done() and OUTPUT.empty()):
            try:
                sys.stdout.write(OUTPUT.get(timeout=1))
                sys.stdout.flush()
            except queue.Empty:
                pass
    return future.result()


@pytest.mark.parametrize("release", RELEASES)
def test_readme_commands_on_a_fresh_debian(runs, release, capsys, record_property):
    run = wait_printing(runs[release], capsys)
    statuses, serve_seconds, serve_output = run["serve"]
    assert answered_200(statuses), (
        "Debian {}: `bash scripts/serve.sh` did not answer 200 within {:.0f} s: {}\n{}".format(
            release, serve_seconds, statuses, serve_output[-4000:]))

    code, output, test_seconds = run["test"]
    summary = (output.strip().splitlines() or [""])[-1]
    record_property("fresh_machine", "Debian {}: {:.0f} s in all, from collection on; serve.sh answered "
                    "200 after {:.0f} s ({}); test.sh took {:.0f} s: {}".format(
                        release, run["seconds"], serve_seconds, ", ".join(statuses), test_seconds,
                        summary.strip("= ")))
    assert code == 0, "Debian {}: `bash scripts/test.sh` exited {}:\n{}".format(
        release, code, output[-6000:])
    missing = [line for line in output.splitlines()
               if line.startswith("SKIPPED") and "apt-get install" in line]
    assert not missing, "setup.sh as root left system packages missing:\n" + "\n".join(missing)
    assert re.search(r"\d+ passed", summary), summary
    assert "no Docker engine reachable" in output, (
        "Debian {}: the live tests did not skip for the missing engine:\n{}".format(
            release, output[-3000:]))

    install = run["install"]
    assert install.returncode == 0, "Debian {}: installing the doctor failed:\n{}{}".format(
        release, install.stdout[-3000:], install.stderr[-3000:])
    doctor = run["doctor"]
    assert doctor.returncode == 2, doctor.stdout + doctor.stderr
    assert doctor.stdout == (ROOT / "troubleshoot_snippets" / "outputs" / "doctor_no_engine.txt").read_text()
