"""Time `mkdocs build --strict` of the guide against a one-page baseline site.

Usage: .venv/bin/python scripts/bench_build.py [--runs N]
Both sites use the same theme; builds alternate so machine noise hits both.
Prints median times and the ratio; exits 1 if the guide takes over 3x the baseline.
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
TARGET_RATIO = 3.0
BASELINE_CONFIG = """\
site_name: Baseline
theme:
  name: material
  font: false
"""


def build_seconds(project, site_dir):
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                    "--site-dir", str(site_dir)], cwd=project, check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        baseline = Path(tmp, "baseline")
        (baseline / "docs").mkdir(parents=True)
        (baseline / "mkdocs.yml").write_text(BASELINE_CONFIG)
        (baseline / "docs" / "index.md").write_text("# Baseline\n\nOne page.\n")
        times = {"guide": [], "baseline": []}
        for _ in range(runs):
            times["baseline"].append(build_seconds(baseline, Path(tmp, "out-baseline")))
            times["guide"].append(build_seconds(ROOT, Path(tmp, "out-guide")))
    median = {name: statistics.median(t) for name, t in times.items()}
    ratio = median["guide"] / median["baseline"]
    print("{:<10} {:>8} {:>8} {:>8}".format("site", "median", "min", "max"))
    for name, t in times.items():
        print("{:<10} {:>7.2f}s {:>7.2f}s {:>7.2f}s".format(name, median[name], min(t), max(t)))
    print("ratio {:.2f} (target <= {:.1f}, {} runs each)".format(ratio, TARGET_RATIO, runs))
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
