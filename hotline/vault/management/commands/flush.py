"""Django's `flush`, allowed to empty the append-only event table on SQLite (wiping the whole database)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from hotline.vault import triggers


class Command(FlushCommand):
    """Same as Django's flush; on SQLite the event triggers let this one command through (PostgreSQL truncates)."""

    def handle(self, **options: Any) -> None:
        with triggers.maintenance():
            super().handle(**options)
