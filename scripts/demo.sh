#!/usr/bin/env bash
# Install the product into .venv and run it on the embedded default: SQLite, demo data, logins printed.
# Extra arguments go to `hotline demo` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/hotline demo "$@"
