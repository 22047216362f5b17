"""Time the guide's `build --strict` under MkDocs, ProperDocs and Zensical, each against
its own one-page baseline.

Usage: .venv/bin/python scripts/bench_build.py [--runs N]
Each builder builds the guide and a one-page site with the same theme; builds
alternate so machine noise hits all of them. Prints median times and, per
builder, guide/baseline; exits 1 if a guide takes over 3x its baseline.
Zensical (the release the tests use, tests/support/zensical_env.py) has no
--site-dir: it builds copies of the sources, with --clean so its cache never
turns a build into a no-op. Without an installable Zensical it says why and
times the other two.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.conftest import BUILDERS  # noqa: E402  (the commands the tests build with)
from tests.support.zensical_env import (  # noqa: E402
    ZensicalUnavailable, installable_release, zensical_command)

SOURCES = ("docs", "troubleshoot_snippets", "overrides", "generated", "mkdocs.yml")

TARGET_RATIO = 3.0
BASELINE_CONFIG = """\
site_name: Baseline
theme:
  name: material
  font: false
"""


def build_seconds(command, project):
    started = time.perf_counter()
    subprocess.run(command, cwd=project, check=True, timeout=300, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.perf_counter() - started


def commands(tmp):
    """{builder: function(site name, project) -> (command, cwd)}."""
    found = {}
    for builder, command in BUILDERS.items():
        found[builder] = lambda site, project, command=command, builder=builder: (
            command + ["--strict", "--quiet", "--site-dir",
                       str(Path(tmp, "out-{}-{}".format(builder, site)))], project)
    try:
        release = installable_release()
        zensical = zensical_command(release)
    except ZensicalUnavailable as e:
        print("Zensical not timed:", e)
        return found
    copies = {}
    for site, project in (("baseline", Path(tmp, "baseline")), ("guide", ROOT)):
        copies[site] = Path(tmp, "zensical-" + site)
        for name in SOURCES:
            if (project / name).is_dir():
                shutil.copytree(project / name, copies[site] / name)
            elif (project / name).exists():
                shutil.copy(project / name, copies[site] / name)
    found["zensical " + release] = lambda site, project: (
        zensical + ["build", "--clean", "--strict", "--config-file", "mkdocs.yml"], copies[site])
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        baseline = Path(tmp, "baseline")
        (baseline / "docs").mkdir(parents=True)
        (baseline / "mkdocs.yml").write_text(BASELINE_CONFIG)
        (baseline / "docs" / "index.md").write_text("# Baseline\n\nOne page.\n")
        builders = commands(tmp)
        for _ in range(runs):
            for builder, command in builders.items():
                for site, project in (("baseline", baseline), ("guide", ROOT)):
                    times.setdefault((builder, site), []).append(
                        build_seconds(*command(site, project)))
    median = {key: statistics.median(t) for key, t in times.items()}
    print("{:<16} {:<9} {:>8} {:>8} {:>8}".format("builder", "site", "median", "min", "max"))
    for (builder, site), t in times.items():
        print("{:<16} {:<9} {:>7.2f}s {:>7.2f}s {:>7.2f}s".format(
            builder, site, median[builder, site], min(t), max(t)))
    worst = 0.0
    for builder in builders:
        ratio = median[builder, "guide"] / median[builder, "baseline"]
        worst = max(worst, ratio)
        print("{:<16} guide/baseline {:.2f} (target <= {:.1f}, {} runs each)".format(
            builder, ratio, TARGET_RATIO, runs))
    return 0 if worst <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
