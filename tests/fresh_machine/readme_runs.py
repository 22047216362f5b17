"""Running the README's commands in a fresh Debian container: `start_runs()` starts each
release's run in a thread, once per pytest run (from collection on, tests/fresh_machine/
conftest.py); test_fresh_machine.py joins them and checks what each step gave.
"""
import concurrent.futures
import queue
import shutil
import subprocess
import time
from urllib.parse import urlsplit

import yaml

from tests.fresh_machine import container as box
from tests.fresh_machine.debian_image import CACHE, image
from tests.support.snippets import ROOT, section

SERVE_TIMEOUT = 1200
TEST_TIMEOUT = 2400
GUIDE = "/root/guide"


def mount_path():
    """Where `mkdocs serve` puts the site: the path of site_url."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    return urlsplit(config.get("site_url") or "/").path.rstrip("/") + "/"


RELEASES = ["bookworm", "trixie"]
OUTPUT = queue.Queue()  # the containers' output lines, printed by the waiting test


# The releases run at once, each in its own container (apt, pip and the suite mostly wait
# on the network and on each other's CPU), from collection on (conftest.py).
POOL = concurrent.futures.ThreadPoolExecutor(len(RELEASES), thread_name_prefix="fresh-machine")
STARTED = {}  # release: Future of its run


def start_runs():
    """Start each release's run, once; {release: Future}."""
    if not STARTED:
        clone = CACHE / "clone"
        shutil.rmtree(clone, ignore_errors=True)
        clone.parent.mkdir(parents=True, exist_ok=True)
        # safe.directory: as root (sudo) the checkout may belong to another user.
        subprocess.run(["git", "-c", "safe.directory=*", "clone", "--quiet", "--no-hardlinks",
                        str(ROOT), str(clone)],
                       check=True, capture_output=True, timeout=300)
        STARTED.update({release: POOL.submit(run_readme_commands, release, clone)
                        for release in RELEASES})
    return STARTED


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
    run, started = {}, time.monotonic()
    try:
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
    finally:
        run["seconds"] = time.monotonic() - started  # root filesystem to doctor
    return run
