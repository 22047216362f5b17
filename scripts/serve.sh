#!/usr/bin/env bash
# Set up .venv and serve the guide at http://127.0.0.1:8000 with live reload.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python scripts/generate_docs.py
# Rewrites generated/ when symptoms.py or tracker.py change; mkdocs.yml watches
# generated/, so the server rebuilds (works the same for any builder's serve).
.venv/bin/python scripts/generate_docs.py --watch &
watcher=$!
trap 'kill "$watcher" 2>/dev/null' EXIT
.venv/bin/mkdocs serve "$@"
