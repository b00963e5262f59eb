"""The production settings keep their promises (the suite itself swaps in a fast password hasher)."""

import importlib

import hotline.settings


def test_it_hashes_passwords_with_argon2_in_production():
    module = importlib.reload(hotline.settings)
    assert module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_serves_the_api_docs_from_local_assets():
    assert "ninja" in hotline.settings.INSTALLED_APPS
