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
exec .venv/bin/python -m pytest "$@"
