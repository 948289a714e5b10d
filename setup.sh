#!/usr/bin/env bash
# Set up a fresh Debian machine for this checkout, then build the site into site/.
#   - Debian's chromium (for the browser tests), when it is missing and we may install it
#   - .venv/ with the pinned Python packages of requirements.txt
#   - node_modules/ with the pinned npm packages of package-lock.json (axe-core for the tests)
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup.sh: Debian's chromium is missing and cannot be installed here; the browser tests need it." >&2
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
if [ -f package-lock.json ]; then
  npm ci --silent --no-audit --no-fund
fi
.venv/bin/python build.py
