#!/usr/bin/env bash
# Create .venv (Python 3.11) with everything the site and the tests need.
# Safe to re-run: it reinstalls only when requirements.txt changed.
# Usage: bash scripts/setup.sh [--browser]
#   --browser: also Debian's chromium, unless CHROMIUM_PATH names another browser
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-$(command -v python3.11 || command -v python3)}
if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "setup.sh: need Python 3.11, got $("$python" --version 2>&1) at $python (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  # --no-deps: its cloudpickle==0.5.3 pin does not import on Python 3.8+.
  .venv/bin/python -m pip install --quiet --no-deps clipper_admin==0.4.1
  echo "$want" > "$stamp"
fi

if [ "${1:-}" = "--browser" ] && [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  # The browser tests drive Debian's chromium; Playwright never downloads one.
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
