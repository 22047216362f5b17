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
exec .venv/bin/python -m pytest "$@"
