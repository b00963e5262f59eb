"""The vault: encryption at rest, keys and the event seal, the base library that tickets and the features build on."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _ensure_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from hotline.vault import triggers

    triggers.ensure(connections[using])


class VaultConfig(AppConfig):
    """Wires the SQLite trigger function, the trigger safeguard after migrations and the key checks (Art. 23)."""

    name = "hotline.vault"
    label = "vault"
    verbose_name = "加密与封存"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hotline.vault import checks, triggers  # noqa: F401  (checks registers itself)

        connection_created.connect(triggers.register_functions, dispatch_uid="hotline-audit-sqlite-functions")
        # A later SQLite migration that rebuilds the event table drops its triggers; put them back every time.
        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="hotline-audit-triggers")
