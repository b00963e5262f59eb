"""Test-wide settings: uploads go to a throw-away folder, and passwords use a fast hasher.

Argon2 stays the production hasher (settings.PASSWORD_HASHERS, checked by tests/test_settings.py); hashing ten
personas per test class with it would dominate the suite's run time without testing anything about hashing.
"""

import os
from collections.abc import Iterator

import pytest

from tests.browser.chromium import LAUNCH_ARGS, require_chromium

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = FAST_HASHERS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test restores the migration-seeded data (the working-day calendar) after its flush.

    A flush without it empties the calendar for every later test and re-creates content types under the feet of
    tests that do restore; one rule for all keeps the suite independent of test order.
    """
    from django.test import TestCase, TransactionTestCase

    for item in items:
        cls = getattr(item, "cls", None)
        if cls is not None and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase):
            cls.serialized_rollback = True
            continue
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}))


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_reply_check_pool():
    # The reply check keeps a pool of recent tickets per process for ten minutes; a pool read from an earlier test's
    # rows (rolled back since) would judge this test's reply against tickets that no longer exist.
    from hotline.tickets import replycheck

    replycheck.reset()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless chromium for the whole session, shared by every package's browser tests (Playwright's sync
    client allows one per thread); each role gets its own context (its own cookies)."""
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
