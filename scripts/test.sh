#!/usr/bin/env bash
# Install everything the suite needs and run it: Python packages into .venv, Debian's chromium for the browser
# tests. Runs on SQLite unless DATABASE_URL is set. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >/dev/null
  else
    echo "The browser tests need Debian's chromium: sudo apt-get install chromium fonts-noto-cjk" >&2
  fi
fi
HOTLINE_DATA_DIR="${HOTLINE_DATA_DIR:-$(mktemp -d)}"
export HOTLINE_DATA_DIR
# One worker per core (pytest-xdist; HOTLINE_TEST_WORKERS=0 runs in this process): each worker has its own test
# database, and the suite takes about six minutes a database on two cores instead of seventeen to twenty.
exec .venv/bin/python -m pytest -n "${HOTLINE_TEST_WORKERS:-auto}" "$@"
