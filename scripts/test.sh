#!/usr/bin/env bash
# Set up .venv (and chromium) and run every test: static checks always,
# live tests against a real Clipper when a Docker engine has its images.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
exec .venv/bin/python -m pytest "$@"
