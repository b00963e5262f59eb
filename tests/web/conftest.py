"""Screen tests log in a dozen personas per class; a fast hasher keeps that from dominating the run.

Argon2 stays the production hasher (settings.PASSWORD_HASHERS); what these tests check is the screens, not hashing.
"""

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="package")
def _fast_password_hasher():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
