"""Privacy and audit: encryption at rest, reveals, the access log, the audit chain and login lockout (Art. 23)."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _ensure_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from hotline.privacy import triggers

    triggers.ensure(connections[using])


class PrivacyConfig(AppConfig):
    """Wires the SQLite trigger function, the trigger safeguard after migrations, and the login signals."""

    name = "hotline.privacy"
    label = "privacy"
    verbose_name = "隐私与审计"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hotline.privacy import checks, lockout, triggers  # noqa: F401  (checks registers itself)

        connection_created.connect(triggers.register_functions, dispatch_uid="hotline-audit-sqlite-functions")
        # A later SQLite migration that rebuilds the event table drops its triggers; put them back every time.
        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="hotline-audit-triggers")
        user_login_failed.connect(lockout.on_login_failed, dispatch_uid="hotline-login-failed")
        user_logged_in.connect(lockout.on_logged_in, dispatch_uid="hotline-logged-in")
