"""Test-wide settings: uploads go to a throw-away folder, and passwords use a fast hasher.

Argon2 stays the production hasher (settings.PASSWORD_HASHERS, checked by tests/test_settings.py); hashing ten
personas per test class with it would dominate the suite's run time without testing anything about hashing.
"""

import pytest

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
