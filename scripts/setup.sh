#!/usr/bin/env bash
# Create .venv with everything the site and the tests need, on Python 3.10-3.13.
# Safe to re-run: it does nothing when .venv is complete and was made by the same
# Python from the same requirements; otherwise it says why and rebuilds .venv.
# Usage: bash scripts/setup.sh [--browser]
#   --browser: also the system packages the tests use (chromium, libatomic1, the
#   docker program); installed when root or sudo can, else the apt-get line is printed
#   and the tests that need them skip with that line.
# PYTHON=/path/to/python3.X picks the interpreter (default: python3, else python3.13..3.10).
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

# Bump when what .venv holds changes for a reason requirements.txt does not show.
VENV_FORMAT=2
CLIPPER_ADMIN=clipper_admin==0.4.1
SUPPORTED='import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))'

say() { echo "setup.sh: $*"; }

# step WHAT CMD...: one line when CMD starts, one every 15 s while it runs (with its
# latest output line), one when it ends. CMD's full output is shown only on failure.
step() {
  local what=$1; shift
  local log start=$SECONDS next=15 rc=0 pid
  log=$(mktemp)
  say "$what ..."
  timeout 1800 "$@" >"$log" 2>&1 &
  pid=$!
  # A background command ignores Ctrl-C (and timeout has its own process group): pass it on.
  trap 'kill "$pid" 2>/dev/null; say "interrupted: $what"; exit 130' INT TERM
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (( SECONDS - start >= next )); then
      say "  $((SECONDS - start)) s: $(tail -n 1 "$log" | tr -d '\r' | cut -c1-110)"
      next=$((next + 15))
    fi
  done
  wait "$pid" || rc=$?
  trap - INT TERM
  if [ "$rc" != 0 ]; then
    tail -n 40 "$log" >&2
    say "$what failed (exit $rc); whole output in $log" >&2
    return "$rc"
  fi
  rm -f "$log"
  say "$what: done in $((SECONDS - start)) s"
}

# apt_install PKG...: install with apt-get as root or through sudo; when neither can,
# print the one line that would and return 1.
apt_install() {
  local line="apt-get install -y $*" sudo=
  if [ "$(id -u)" != 0 ]; then
    line="sudo $line"
    sudo=sudo
    if ! command -v sudo >/dev/null || ! sudo -v; then
      say "cannot install $* (not root, no usable sudo); to install them, run: $line"
      return 1
    fi
  fi
  if step "apt-get update" $sudo apt-get update -q &&
     step "installing $* with apt-get" $sudo env DEBIAN_FRONTEND=noninteractive \
       apt-get install -y -q -o Dpkg::Use-Pty=0 "$@"; then
    return 0
  fi
  say "installing $* failed; to retry, run: $line"
  return 1
}

find_python() {
  if [ -n "${PYTHON:-}" ]; then
    command -v "$PYTHON" || { say "PYTHON=$PYTHON: no such program" >&2; return 1; }
    return 0
  fi
  local name
  for name in python3 python3.13 python3.12 python3.11 python3.10; do
    if command -v "$name" >/dev/null && "$name" -c "$SUPPORTED" 2>/dev/null; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

mkdir -p build
# Two setups at once (two terminals, two people) must not build the same .venv.
exec 9>build/.setup.lock
command -v flock >/dev/null && flock -w 1800 9

if ! python=$(find_python); then
  [ -z "${PYTHON:-}" ] || exit 1
  say "no Python 3.10-3.13 found (python3, python3.13 ... python3.10)"
  apt_install python3 python3-venv || exit 1
  python=$(find_python) || { say "python3 is installed but not 3.10-3.13: set PYTHON=/path/to/python3.X" >&2; exit 1; }
fi
if ! "$python" -c "$SUPPORTED"; then
  say "need Python 3.10-3.13, got $("$python" --version 2>&1) at $python (set PYTHON=/path/to/python3.X)" >&2
  exit 1
fi
identity=$("$python" -c 'import os, sys; print(os.path.realpath(sys.executable), sys.version.split()[0])')
minor=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

# Debian and Ubuntu ship `venv` without ensurepip; python3-venv (python3.X-venv) adds it.
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  pkg=python$minor-venv
  [ "$(readlink -f "$python")" = "$(readlink -f /usr/bin/python3 2>/dev/null)" ] && pkg=python3-venv
  say "$python has no venv module (ensurepip); it comes with the package $pkg"
  case "$(readlink -f "$python")" in
    /usr/bin/*) apt_install "$pkg" || exit 1 ;;
    *) say "this Python was not installed by apt: use one that has ensurepip (PYTHON=...)" >&2; exit 1 ;;
  esac
fi

stamp=.venv/.setup-stamp
want="format $VENV_FORMAT
python $identity
requirements $(cat requirements.txt | sha256sum | cut -d' ' -f1) $CLIPPER_ADMIN"
reason=
if [ ! -e .venv ]; then
  reason="creating .venv with Python $identity"
elif ! .venv/bin/python -c 'import ssl' >/dev/null 2>&1; then
  reason=".venv is broken (its python cannot import ssl): rebuilding it with Python $identity"
elif [ ! -f "$stamp" ]; then
  reason=".venv is half-made or from an older setup.sh (no $stamp): rebuilding it with Python $identity"
elif [ "$(sed -n 2p "$stamp")" != "python $identity" ]; then
  reason=".venv was made by $(sed -n 2p "$stamp"): rebuilding it with Python $identity"
elif [ "$(cat "$stamp")" != "$want" ]; then
  reason=".venv was made from older requirements: rebuilding it"
fi

if [ -n "$reason" ]; then
  say "$reason"
  rm -rf .venv
  step "creating .venv" "$python" -m venv .venv
  # --no-compile: pip would byte-compile every module, used or not (kubernetes alone has
  # thousands); Python compiles what is imported, once.
  step "installing requirements.txt into .venv (pip; about 150 MB the first time)" \
    .venv/bin/python -m pip install --progress-bar off --no-compile -r requirements.txt
  # --no-deps: its cloudpickle==0.5.3 pin does not import on Python 3.8+.
  step "installing $CLIPPER_ADMIN (--no-deps)" \
    .venv/bin/python -m pip install --progress-bar off --no-deps "$CLIPPER_ADMIN"
  .venv/bin/python -c 'import clipper_admin, mkdocs, material, pytest, playwright'
  echo "$want" > "$stamp"
  say ".venv is ready (Python $identity)"
fi

if [ "${1:-}" = "--browser" ]; then
  # The browser tests drive Debian's chromium (Playwright never downloads one); its
  # driver needs libatomic1; the shell snippets call the docker program.
  missing=$("$python" tests/support/system_pieces.py chromium libatomic1 docker.io)
  if [ -n "$missing" ]; then
    say "missing system packages: $missing"
    # shellcheck disable=SC2086  # one word per package
    apt_install $missing || say "going on: the tests that need them will skip and say so"
  fi
fi
