"""Wall time of the live suite, split into cluster start, the background scenarios' deploys
before their pool, image builds (on first use, so also inside the other parts), scenarios
(each test's call; a background scenario's test only joins it), teardown, then each
background scenario's own time.

Usage: .venv/bin/python scripts/live_timing.py [extra pytest args]
Runs tests/live once against the local Docker engine and prints the split;
pytest's whole output goes to build/live-timing.log.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/live", "-q", "-rfEs", *sys.argv[1:]],
            cwd=ROOT, env={**os.environ, "LIVE_TIMING_FILE": out.name},
            capture_output=True, text=True)
        wall = time.monotonic() - started
        text = Path(out.name).read_text()
        timings = json.loads(text) if text else {}
    log = ROOT / "build" / "live-timing.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(result.stdout + result.stderr)
    lines = result.stdout.strip().splitlines()
    # pytest's short summary (-rfEs): what failed or skipped, then the counts
    print("\n".join(l for l in lines if l.startswith(("FAILED", "ERROR", "SKIPPED", "ucbrise/clipper#758"))))
    print(lines[-1] if lines else result.stderr)
    if "cluster start" not in timings:
        print("no live test ran; pytest said:\n" + result.stdout[-2000:])
        return 2
    print("{:<48} {:>9}".format("part", "seconds"))
    for key in ("cluster start", "scenario parts before the pool", "image builds", "scenarios", "teardown"):
        print("{:<48} {:>9.1f}".format(key, timings.get(key, 0.0)))
    for key in sorted(k for k in timings if k.startswith("scenario:")):
        print("  {:<46} {:>9.1f}".format(key.split(":", 1)[1], timings[key]))
    # @background scenarios: their tests only join them; these are their own times,
    # SCENARIOS_AT_ONCE of them overlapping
    print("{:<48} {:>9}".format("background scenarios (threads, overlapping)", ""))
    for key in sorted((k for k in timings if k.startswith("thread:")), key=timings.get, reverse=True):
        print("  {:<46} {:>9.1f}".format(key.split(":", 1)[1], timings[key]))
    print("{:<48} {:>9.1f}".format("wall time (whole pytest run)", wall))
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
