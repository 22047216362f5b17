import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]
# The same mkdocs.yml under each builder; ProperDocs is told the file name, or it
# logs that it prefers properdocs.yml.
BUILDERS = {
    "mkdocs": MKDOCS + ["build"],
    "properdocs": [sys.executable, "-m", "properdocs", "build", "--config-file", "mkdocs.yml"],
}


def mkdocs_build(root, site_dir, builder="mkdocs"):
    """`<builder> build --strict` of the project at `root`; the CompletedProcess."""
    return subprocess.run(
        BUILDERS[builder] + ["--strict", "--site-dir", str(site_dir)],
        cwd=root, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site, built once per run with --strict; the folder of its HTML."""
    site = ROOT / "build" / "site"
    # Under pytest-xdist each worker runs session fixtures: the first builds, the
    # others wait on the lock and find this run's stamp (the run id xdist shares).
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    stamp = ROOT / "build" / "site.built-for-run"
    stamp.parent.mkdir(exist_ok=True)
    with open(ROOT / "build" / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if run and stamp.exists() and stamp.read_text() == run:
            return site
        stamp.unlink(missing_ok=True)
        result = mkdocs_build(ROOT, site)
        assert result.returncode == 0, "mkdocs build --strict failed:\n" + result.stderr
        if run:
            stamp.write_text(run)
    return site


@pytest.fixture
def project_copy(tmp_path):
    """A throwaway copy of the site's sources, for tests that break them on purpose."""
    # overrides: theme custom_dir; generated: the Markdown the pages include
    for name in ("docs", "troubleshoot_snippets", "overrides", "generated"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


# Each part's wall time (first test's start to last test's end), for .ci/run's log.
PART_TIMES = {}


def _part(nodeid):
    return nodeid.split("/")[1] if nodeid.startswith("tests/") and nodeid.count("/") > 1 else "other"


# Static first: the quick answer (scripts/test.sh runs it in a pytest of its own); then the
# fresh-machine test joins its containers, started at collection; then the live suite on an
# idle machine.
PART_ORDER = ["static", "fresh_machine", "live"]


def pytest_collection_modifyitems(items):
    rank = {part: i for i, part in enumerate(PART_ORDER)}
    items.sort(key=lambda item: rank.get(_part(item.nodeid), len(rank)))  # stable: parts keep their order


def pytest_runtest_logstart(nodeid, location):
    PART_TIMES.setdefault(_part(nodeid), [time.monotonic(), None])


def pytest_runtest_logfinish(nodeid, location):
    PART_TIMES[_part(nodeid)][1] = time.monotonic()


def pytest_terminal_summary(terminalreporter):
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # the controller sees every test's start and finish
    spans = ["{} {:.0f} s".format(part.replace("_", " "), end - start)
             for part, (start, end) in PART_TIMES.items() if end is not None]
    # scripts/test.sh runs pytest twice and names a file: each run adds its parts to it
    # and prints them all, so the last line has every part.
    shared = os.environ.get("PART_TIMES_FILE")
    if shared and spans:
        with open(shared, "a") as f:
            f.write("".join(span + "\n" for span in spans))
        spans = Path(shared).read_text().splitlines()
    if spans:
        terminalreporter.write_line("time per part: " + ", ".join(spans))
