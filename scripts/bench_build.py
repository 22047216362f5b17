"""Time the guide's `build --strict` under MkDocs and ProperDocs against a one-page baseline.

Usage: .venv/bin/python scripts/bench_build.py [--runs N]
Each builder builds the guide and a one-page site with the same theme; builds
alternate so machine noise hits all of them. Prints median times and, per
builder, guide/baseline; exits 1 if either guide takes over 3x its baseline.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.conftest import BUILDERS  # noqa: E402  (the commands the tests build with)

TARGET_RATIO = 3.0
BASELINE_CONFIG = """\
site_name: Baseline
theme:
  name: material
  font: false
"""


def build_seconds(builder, project, site_dir):
    started = time.perf_counter()
    subprocess.run(BUILDERS[builder] + ["--strict", "--quiet", "--site-dir", str(site_dir)],
                   cwd=project, check=True, timeout=300,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.perf_counter() - started


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
        for _ in range(runs):
            for builder in BUILDERS:
                for site, project in (("baseline", baseline), ("guide", ROOT)):
                    out = Path(tmp, "out-{}-{}".format(builder, site))
                    times.setdefault((builder, site), []).append(
                        build_seconds(builder, project, out))
    median = {key: statistics.median(t) for key, t in times.items()}
    print("{:<11} {:<9} {:>8} {:>8} {:>8}".format("builder", "site", "median", "min", "max"))
    for (builder, site), t in times.items():
        print("{:<11} {:<9} {:>7.2f}s {:>7.2f}s {:>7.2f}s".format(
            builder, site, median[builder, site], min(t), max(t)))
    worst = 0.0
    for builder in BUILDERS:
        ratio = median[builder, "guide"] / median[builder, "baseline"]
        worst = max(worst, ratio)
        print("{:<11} guide/baseline {:.2f} (target <= {:.1f}, {} runs each)".format(
            builder, ratio, TARGET_RATIO, runs))
    return 0 if worst <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
