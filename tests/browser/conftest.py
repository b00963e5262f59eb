"""Headless Debian chromium for the end-to-end tests, driven by Playwright's Python client.

No browser is downloaded: the system chromium is used through `executable_path`. In CI (CI=true) a missing
chromium fails the run, so the end-to-end test can never silently stop running; on a workstation it is skipped
with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.chromium import LAUNCH_ARGS, require_chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One chromium for the session; each role gets its own context (its own cookies)."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync client parks an asyncio loop on the main thread; Django's async-safety guard then refuses
    # the test's plain synchronous ORM calls (and the test database setup). Nothing here runs inside a coroutine.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
