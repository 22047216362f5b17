"""The README's two commands, exactly as written, on fresh Debian 12 and Debian 13.

Each release's minbase root filesystem (no Python, no git, no certificates) gets a
clean clone of this project (committed HEAD) and this network's CA certificates, as a
user's machine here would have them. Then, as root:
`bash scripts/serve.sh` must answer 200 for the home page and a guide page, and
`bash scripts/test.sh` (the README's test command, as written) must pass with no test
skipped for a missing package: there is no running engine there, so the live tests
skip, each for that reason. Then the doctor page's install (`pipx install .` with
Debian's pipx) must give a `clipper-doctor` that exits 2 there. The releases run at
once, each in its own container; their output lines are printed as they come.
Logs: build/fresh_machine/<release>-serve.log and -test.log.
"""
import concurrent.futures
import queue
import re
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
import yaml

from tests.fresh_machine import container as box
from tests.fresh_machine.debian_image import CACHE, image
from tests.support.snippets import ROOT, section

pytestmark = [pytest.mark.fresh_machine, pytest.mark.timeout(3600)]

SERVE_TIMEOUT = 1200
TEST_TIMEOUT = 2400
GUIDE = "/root/guide"


def mount_path():
    """Where `mkdocs serve` puts the site: the path of site_url."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    return urlsplit(config.get("site_url") or "/").path.rstrip("/") + "/"


RELEASES = ["bookworm", "trixie"]
OUTPUT = queue.Queue()  # the containers' output lines, printed by the waiting test


@pytest.fixture(scope="module")
def runs(fresh_machine_host, tmp_path_factory):
    """{release: Future of its run}: the releases run at once, each in its own container
    (apt, pip and the suite mostly wait on the network and on each other's CPU)."""
    clone = tmp_path_factory.mktemp("clone") / "guide"
    # safe.directory: as root (sudo) the checkout may belong to another user.
    subprocess.run(["git", "-c", "safe.directory=*", "clone", "--quiet", "--no-hardlinks",
                    str(ROOT), str(clone)],
                   check=True, capture_output=True, timeout=300)
    with concurrent.futures.ThreadPoolExecutor(len(RELEASES)) as pool:
        yield {release: pool.submit(run_readme_commands, release, clone) for release in RELEASES}


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


def answered_200(statuses):
    """Every page's status line (curl's) says 200."""
    return all(" 200 " in status + " " for status in statuses.values())


def serve_and_probe(name, release):
    """Start the serve command; seconds until it answers 200 for both pages."""
    pages = [mount_path(), mount_path() + "default-predictions/"]
    log = "/root/serve.log"
    # $BASHPID: the subshell that becomes serve.sh, then mkdocs (both exec).
    box.sh(name, "cd {} && (echo $BASHPID > /root/serve.pid; exec bash scripts/serve.sh) > {} 2>&1 &"
           .format(GUIDE, log))
    started = time.monotonic()
    statuses = {}
    while time.monotonic() - started < SERVE_TIMEOUT:
        statuses = {page: box.http_status(name, page) for page in pages}
        if answered_200(statuses):
            break
        if not box.still_running(name, "/root/serve.pid"):
            statuses["serve.sh"] = "exited"
            break
        time.sleep(2)
    seconds = time.monotonic() - started
    output = box.sh(name, "cat " + log).stdout
    (CACHE / "{}-serve.log".format(release)).write_text(output)
    box.sh(name, 'kill "$(cat /root/serve.pid)"')
    return statuses, seconds, output


def run_readme_commands(release, clone):
    """Serve, test and install in a fresh container of `release`; what each step gave.
    A step that fails ends the run there (the test reports the first failure)."""
    run = {}
    with box.container(image(release), release) as name:
        box.copy_network_trust(name)
        box.copy_in(name, clone, GUIDE)
        OUTPUT.put("\n[{}] bash scripts/serve.sh\n".format(release))
        run["serve"] = serve_and_probe(name, release)
        if not answered_200(run["serve"][0]):
            return run
        run["test"] = box.run_streamed(name, "cd {} && bash scripts/test.sh".format(GUIDE),
                                       CACHE / "{}-test.log".format(release), release, TEST_TIMEOUT,
                                       OUTPUT)
        if run["test"][0] != 0:
            return run
        # docs/doctor.md#install: pipx from Debian, the page's command in the clone, then the
        # installed command from another folder (no engine here: exit 2, the shown report).
        run["install"] = box.sh(name, "apt-get install -y -qq pipx >/dev/null && cd {} && {}".format(
            GUIDE, section("troubleshoot_snippets/doctor.sh", "install_clone")), timeout=900)
        if run["install"].returncode == 0:
            run["doctor"] = box.sh(name, "cd /tmp && ~/.local/bin/clipper-doctor")
    return run


@pytest.mark.parametrize("release", RELEASES)
def test_readme_commands_on_a_fresh_debian(runs, release, capsys, record_property):
    run = wait_printing(runs[release], capsys)
    statuses, serve_seconds, serve_output = run["serve"]
    assert answered_200(statuses), (
        "Debian {}: `bash scripts/serve.sh` did not answer 200 within {:.0f} s: {}\n{}".format(
            release, serve_seconds, statuses, serve_output[-4000:]))

    code, output, test_seconds = run["test"]
    summary = (output.strip().splitlines() or [""])[-1]
    record_property("fresh_machine", "Debian {}: serve.sh answered 200 after {:.0f} s ({}); "
                    "test.sh took {:.0f} s: {}".format(
                        release, serve_seconds, ", ".join(statuses), test_seconds,
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
