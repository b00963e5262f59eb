"""Finding Debian's chromium for Playwright (no browser download): fail in CI when it is missing, skip elsewhere."""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest

CHROMIUM = os.environ.get("HOTLINE_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync",
]


def require_chromium(path: str = CHROMIUM, environ: Mapping[str, str] = os.environ) -> str:
    """The chromium executable; fails the run in CI (CI=true) when it is missing, skips it elsewhere."""
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    message = f"chromium not found at {path} (apt-get install chromium fonts-noto-cjk)"
    if environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
