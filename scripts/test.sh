#!/usr/bin/env bash
# Set up .venv (and chromium) and run every test: static checks always,
# live tests against a real Clipper when a Docker engine has its images.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
# The pages include generated/ (committed): rewrite it from symptoms.py and
# tracker.py before building; under CI only check, so a stale commit fails.
if [ -n "${CI:-}" ]; then
    .venv/bin/python scripts/generate_docs.py --check
else
    .venv/bin/python scripts/generate_docs.py
fi
# Byte-code caches are written (__pycache__, ignored by git) even where PYTHONDONTWRITEBYTECODE
# is set: else every process the tests start (doctor runs, snippets, mkdocs builds) compiles
# kubernetes, mkdocs and the rest from source again, seconds of CPU each.
unset PYTHONDONTWRITEBYTECODE
if [ $# -gt 0 ]; then
    exec .venv/bin/python -m pytest "$@"
fi
# Every test: the static suite first, in two processes (a module's tests in one, so its
# fixtures build once); then the fresh-machine and live tests in one process (the live
# tests share one cluster and a thread pool). Both always run; the exit status is the
# first failure's. Each prints a `time per part` line; the second's has the static part too.
export PART_TIMES_FILE
PART_TIMES_FILE=$(mktemp)
trap 'rm -f "$PART_TIMES_FILE"' EXIT
status=0
.venv/bin/python -m pytest -n 2 --dist loadfile tests/static || status=$?
.venv/bin/python -m pytest --ignore=tests/static || { rc=$?; [ "$status" != 0 ] || status=$rc; }
exit "$status"
