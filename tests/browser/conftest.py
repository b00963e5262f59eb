"""Headless Debian chromium for the end-to-end tests, driven by Playwright's Python client.

No browser is downloaded: the system chromium is used through `executable_path`. In CI (CI=true) a missing
chromium fails the run, so the end-to-end test can never silently stop running; on a workstation it is skipped
with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
