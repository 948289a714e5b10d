#!/usr/bin/env bash
# Set up this checkout on a fresh machine, then build the site into site/:
#   - .venv/ with exactly the Python packages of requirements.lock.txt, each checked against its hash
#   - a Chromium for the browser tests: one already installed, else Debian's chromium where apt can
#     install it, else Playwright's own Chromium (macOS, other Linux); otherwise it stops and says so
#   - node_modules/ with the pinned npm packages of package-lock.json (axe-core for the browser tests)
# SETUP_BROWSER=skip leaves the browser and node_modules/ out (CI on macOS).
#
#   bash setup.sh --site               only what building and publishing the site needs, from
#                                      requirements.site.lock.txt: no test or dev tool, no browser (the publish job)
#   bash setup.sh --lock [--upgrade]   regenerate both locks after editing pyproject.toml
set -euo pipefail
cd "$(dirname "$0")"

LOCK=requirements.lock.txt            # runtime + the test and dev groups: what this script installs
SITE_LOCK=requirements.site.lock.txt  # runtime only: what the publish job installs (--site)
PYTHON=${PYTHON:-python3}

if [ "${1:-}" = "--lock" ]; then
  [ -x .venv/bin/uv ] || { echo "setup.sh --lock: .venv/bin/uv is missing: run bash setup.sh first (it installs uv from the lock)" >&2; exit 1; }
  # The full lock first (uv keeps its pins unless --upgrade), then the site's held to the same versions (-c).
  compile() { .venv/bin/uv pip compile pyproject.toml --universal --python-version 3.11.5 \
    --generate-hashes --custom-compile-command "bash setup.sh --lock" --quiet "$@"; }
  compile --group test --group dev -o "$LOCK" "${@:2}"
  compile -c "$LOCK" -o "$SITE_LOCK" "${@:2}"
  exit
fi
if [ "${1:-}" = "--site" ]; then
  LOCK=$SITE_LOCK
  SETUP_BROWSER=skip
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' 2>/dev/null || {
    found=$("$PYTHON" --version 2>&1 | head -n 1) || found=""
    echo "setup.sh: Python 3.11.5 or newer is needed (requires-python in pyproject.toml); $PYTHON is ${found:-missing}: install one and run PYTHON=python3.12 bash setup.sh" >&2
    exit 1
  }
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$LOCK"
# An environment made from an older lock may hold packages the lock no longer names: remove them.
.venv/bin/python - "$LOCK" <<'PY'
import re, subprocess, sys
from importlib.metadata import distributions

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

locked = {norm(m.group(1)) for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", open(sys.argv[1]).read(), re.M)}
extra = sorted({d.metadata["Name"] for d in distributions() if norm(d.metadata["Name"]) not in locked | {"pip"}})
if extra:
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", *extra], check=True)
PY

if [ "${SETUP_BROWSER:-}" != skip ]; then
  if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
    :
  elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
      && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
    :
  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 \
      && sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
    :
  elif .venv/bin/python -m playwright install chromium; then
    :  # Playwright's own Chromium: where apt cannot install Debian's (macOS, other Linux)
  else
    echo "setup.sh: no Chromium for the browser tests and none could be installed: install Debian's chromium (apt-get install chromium) or run .venv/bin/python -m playwright install chromium, then run bash setup.sh again (or set SETUP_BROWSER=skip and run the tests with -m 'not browser')" >&2
    exit 1
  fi
  command -v npm >/dev/null 2>&1 || {
    echo "setup.sh: npm is missing (the browser tests inject axe-core from node_modules/): install Node.js with npm (Debian: apt-get install npm), then run bash setup.sh again" >&2
    exit 1
  }
  npm ci --silent --no-audit --no-fund
fi
.venv/bin/python build.py
